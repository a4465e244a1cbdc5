"""Business rows whose legal fields the audit chain seals, and the check that the rows still hold them.

An app registers a model (from its AppConfig.ready(); core never imports the apps):

    sealed_rows.register(Receipt, fields=["number", "amount", ...], digest_fields=["signed_xml"])

From then on every save of such a row marks it on the connection, and the next `audit_record` of the
transaction (as well as any event whose `obj` is such a row) reads the marked rows back from the
database and stores their fields in the event's `rows` ({"fees.receipt:12": {"amount": 120000, ...}}).
The sealer hashes `rows` with the rest of the event, so an audited value cannot be changed without
breaking the chain, and `verify_rows` (`cuakhau audit verify`) compares every registered row with the
values of the latest event that sealed it, naming the row and the fields that differ. A row that no
event sealed (written before this existed, or in bulk by `cuakhau demo generate`) is counted and
reported as a warning, not as tampering.

An event's `rows` covers the rows saved since the previous event of the same connection: a service
must record its event after its last write of a sealed row (receipt, then payment, then the event).
Queryset `.update()` sends no signal: a field changed that way must not be registered, or the service
must pass the row as the event's `obj`.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Model
from django.db.models.signals import post_save

_PENDING_ATTR = "_cuakhau_sealed_pending"
DIGEST_PREFIX = "sha256:"


@dataclass(frozen=True)
class SealedModel:
    model: type[Model]
    fields: tuple[str, ...]  # attnames, as stored in an event's rows
    digest_fields: tuple[str, ...] = ()  # long values: sealed as their SHA-256
    # The (object_type, object_id) of the events that may seal a row, from its raw values (one pair or
    # a list; object_id "*" for any event of that type): the row itself by default; a payment is
    # sealed by its receipt's event, a bid by its auction's.
    sealed_by: Callable[[dict[str, Any]], Any] | None = None
    # Extra consistency checks on a row's raw values (e.g. the signed XML against the amount): a list
    # of problems, empty when consistent.
    check: Callable[[dict[str, Any]], list[str]] | None = None
    describe: Callable[[dict[str, Any]], str] | None = None
    # Lookups read with the row only to find its events (e.g. "registration__auction_id"), not sealed.
    context: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def columns(self) -> tuple[str, ...]:
        sealed = self.fields + tuple(f for f in self.digest_fields if f not in self.fields)
        return sealed + tuple(f for f in self.context if f not in sealed)

    def owners(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        if self.sealed_by is None:
            return [(self.label, str(values["pk"]))]
        found = self.sealed_by(values)
        pairs = [found] if isinstance(found, tuple) else list(found)
        return [(otype, str(oid)) for otype, oid in pairs if oid is not None and oid != "None"]

    def name(self, values: dict[str, Any]) -> str:
        label = self.model._meta.label
        if self.describe is not None:
            return f"{label} {self.describe(values)}"
        return f"{label} #{values['pk']}"


_registry: dict[str, SealedModel] = {}


def register(
    model: type[Model],
    *,
    fields: Iterable[str],
    digest_fields: Iterable[str] = (),
    sealed_by: Callable[[dict[str, Any]], Any] | None = None,
    check: Callable[[dict[str, Any]], list[str]] | None = None,
    describe: Callable[[dict[str, Any]], str] | None = None,
    context: Iterable[str] = (),
) -> None:
    """Seal `fields` of `model`'s rows in the audit chain (idempotent: ready() may run twice)."""
    meta = model._meta
    concrete = {f.name: f for f in meta.concrete_fields}
    attnames = tuple(concrete[name].attname for name in fields)
    digests = tuple(concrete[name].attname for name in digest_fields)
    _registry[meta.label_lower] = SealedModel(
        model, attnames, digests, sealed_by, check, describe, tuple(context)
    )
    post_save.connect(_mark_saved, sender=model, weak=False, dispatch_uid=f"sealed_rows:{meta.label_lower}")


def registered() -> list[SealedModel]:
    return list(_registry.values())


def spec_for(label: str) -> SealedModel | None:
    return _registry.get(label)


def _mark_saved(sender, instance, using, **kwargs) -> None:
    _pending(using).add((instance._meta.label_lower, instance.pk))


def _pending(using: str) -> set:
    connection = connections[using]
    pending = getattr(connection, _PENDING_ATTR, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING_ATTR, pending)
    return pending


def mark(model: type[Model], pks: Iterable[Any], *, using: str = "default") -> None:
    """Rows changed by a queryset .update() (which sends no signal), for the next event to seal."""
    label = model._meta.label_lower
    if label in _registry:
        _pending(using).update((label, pk) for pk in pks)


# --- canonical values -------------------------------------------------------------------------------


def canonical_value(value: Any) -> Any:
    """A value as the chain stores it: the same on SQLite and PostgreSQL, at writing and at checking."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime):
        from .audit_chain import canonical_datetime

        return canonical_datetime(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    return str(value)


def _digest(value: Any) -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed_values(spec: SealedModel, raw: dict[str, Any]) -> dict[str, Any]:
    data = {name: canonical_value(raw[name]) for name in spec.fields}
    for name in spec.digest_fields:
        data[name] = _digest(raw[name])
    return data


def read_rows(spec: SealedModel, pks: Iterable[Any], *, using: str = "default") -> dict[str, dict[str, Any]]:
    """The raw values of rows by pk (as strings), read from the database."""
    columns = spec.columns
    rows = spec.model._base_manager.using(using).filter(pk__in=list(pks)).values_list("pk", *columns)
    return {str(row[0]): {"pk": row[0], **dict(zip(columns, row[1:], strict=True))} for row in rows}


def collect(obj: Model | None = None, *, using: str = "default") -> dict[str, Any] | None:
    """The rows an event about to be recorded seals: those saved on this connection since the last
    event, and `obj` when its model is registered. None when there are none."""
    connection = connections[using]
    pending = getattr(connection, _PENDING_ATTR, None) or set()
    if obj is not None and obj.pk is not None and obj._meta.label_lower in _registry:
        pending.add((obj._meta.label_lower, obj.pk))
    if not pending:
        return None
    setattr(connection, _PENDING_ATTR, set())
    by_label: dict[str, list] = defaultdict(list)
    for label, pk in pending:
        by_label[label].append(pk)
    sealed: dict[str, Any] = {}
    for label, pks in sorted(by_label.items()):
        spec = _registry[label]
        # Rows of a rolled-back savepoint are gone: nothing to seal.
        for pk, raw in read_rows(spec, pks, using=using).items():
            sealed[f"{label}:{pk}"] = sealed_values(spec, raw)
    return sealed or None


def forget_pending(using: str = "default") -> None:
    setattr(connections[using], _PENDING_ATTR, set())


# --- checking ---------------------------------------------------------------------------------------


@dataclass
class RowProblem:
    key: str  # "fees.receipt:12"
    name: str  # "fees.Receipt EBL01 LS26AB 00000012"
    reason: str
    event_id: int | None = None

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass
class RowsResult:
    ok: bool = True
    checked: int = 0
    unsealed: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unsealed_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.ok:
            return f"OK: {self.checked} sealed rows match the chain ({self.unsealed} never sealed)"
        return f"BROKEN: {len(self.problems)} row(s) differ from the chain"


def _show(value: Any) -> str:
    if isinstance(value, str) and value.startswith(DIGEST_PREFIX):
        return value[len(DIGEST_PREFIX) : len(DIGEST_PREFIX) + 12] + "…"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return repr(value) if isinstance(value, str) else str(value)


def differences(current: dict[str, Any], audited: dict[str, Any]) -> list[str]:
    out = []
    for name in sorted(set(current) | set(audited)):
        if name not in audited:
            continue  # a field registered after the event was written
        if current.get(name) != audited[name]:
            out.append(f"{name} {_show(current.get(name))} ≠ audited {_show(audited[name])}")
    return out


def latest_sealed(spec: SealedModel, raws: dict[str, dict[str, Any]], *, using: str = "default"):
    """For rows of one model: key -> (event id, audited values) of the latest event that sealed it."""
    from .models import AuditEvent

    owners: dict[str, set[str]] = defaultdict(set)
    for raw in raws.values():
        for otype, oid in spec.owners(raw):
            owners[otype].add(oid)
    wanted = {f"{spec.label}:{pk}" for pk in raws}
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    for otype, oids in owners.items():
        events = AuditEvent.objects.using(using).filter(object_type=otype, rows__isnull=False)
        if "*" not in oids:
            events = events.filter(object_id__in=sorted(oids))
        for event_id, rows in events.order_by("id").values_list("id", "rows").iterator(chunk_size=2000):
            if not isinstance(rows, dict):
                continue
            for key in wanted.intersection(rows):
                if key not in found or found[key][0] < event_id:  # the latest, across owners
                    found[key] = (event_id, rows[key])
    return found


def check_raws(
    spec: SealedModel, raws: dict[str, dict[str, Any]], *, using: str = "default"
) -> tuple[list[RowProblem], list[str], dict[str, int]]:
    """Compare rows with their latest sealed values: (problems, keys never sealed, key -> event id)."""
    latest = latest_sealed(spec, raws, using=using)
    problems, unsealed, events = [], [], {}
    for pk, raw in raws.items():
        key = f"{spec.label}:{pk}"
        name = spec.name(raw)
        reasons = list(spec.check(raw)) if spec.check is not None else []
        if key not in latest:
            unsealed.append(key)
        else:
            event_id, audited = latest[key]
            events[key] = event_id
            reasons = differences(sealed_values(spec, raw), audited) + reasons
        if reasons:
            problems.append(RowProblem(key, name, "; ".join(reasons), latest.get(key, (None,))[0]))
    return problems, unsealed, events


def verify_rows(*, batch_size: int = 1000, max_problems: int = 100, using: str = "default") -> RowsResult:
    """Every registered row, in pk order and batches (constant memory), against the chain."""
    import time

    started = time.monotonic()
    result = RowsResult()
    for spec in registered():
        last = None
        base = spec.model._base_manager.using(using).order_by("pk")
        while True:
            page = base if last is None else base.filter(pk__gt=last)
            rows = list(page.values_list("pk", *spec.columns)[:batch_size])
            if not rows:
                break
            last = rows[-1][0]
            raws = {str(r[0]): {"pk": r[0], **dict(zip(spec.columns, r[1:], strict=True))} for r in rows}
            problems, unsealed, _events = check_raws(spec, raws, using=using)
            result.checked += len(raws) - len(unsealed)
            result.unsealed += len(unsealed)
            if len(result.unsealed_examples) < 5:
                result.unsealed_examples += unsealed[: 5 - len(result.unsealed_examples)]
            if problems:
                result.ok = False
                room = max_problems - len(result.problems)
                result.problems += problems[: max(room, 0)]
    result.seconds = time.monotonic() - started
    return result


def check_keys(keys: Iterable[str], *, using: str = "default") -> dict[str, tuple[int | None, str]]:
    """For the audit list: key -> (id of the latest event sealing it, problem or "") for some rows."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        label, _sep, pk = key.rpartition(":")
        if label in _registry:
            by_label[label].append(pk)
    out: dict[str, tuple[int | None, str]] = {}
    for label, pks in by_label.items():
        spec = _registry[label]
        raws = read_rows(spec, pks, using=using)
        problems, _unsealed, events = check_raws(spec, raws, using=using)
        for key, event_id in events.items():
            out[key] = (event_id, "")
        for problem in problems:
            out[problem.key] = (problem.event_id, problem.reason)
        for pk in pks:
            if pk not in raws:
                out[f"{label}:{pk}"] = (None, "row deleted")
    return out

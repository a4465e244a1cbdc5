"""Sealing audit events into a hash chain, and verifying it.

Services insert events unsealed (`chain_seq` NULL) inside their own transaction, so writing an event
costs one INSERT and takes no shared lock. After commit, `seal_pending` takes the one chain head
(`AuditSeal`, id=1) FOR UPDATE, gives every committed unsealed event the next `chain_seq`, links it to
the hash before it and advances the head: many events per short transaction, like a Certificate
Transparency log merging submissions into its tree. The order of sealing, not the order of ids,
defines the chain, so an event whose transaction committed late is sealed in a later batch.

The after-commit sealer does not queue on the head: if another sealer holds it, it leaves its events to
that sealer, which looks again for pending events after its own commit and goes round once more if
there are any. That keeps request latency free of the lock without losing a wake-up; should a sealer
give up (time budget, error), the background task `seal_audit_events` is enqueued, and
`cuakhau audit seal` / `verify` show what is pending.

With settings.AUDIT_SEAL = "background" (the production server's, deploy/gunicorn.conf.py), the committing
thread does not seal at all: it wakes one sealer thread per process, which seals in batches
AUDIT_SEAL_GATHER_MS later (`BackgroundSealer`).

The hash is SHA-256 over a canonical JSON of the event as read back from the database, so that the same
event hashes the same on SQLite and PostgreSQL (UTC datetimes with microseconds, sorted keys, normalised
IP addresses).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import ipaddress
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from . import plainsql
from .models import AuditEvent, AuditSeal
from .models.audit import sealer_writes

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
HASH_VERSION = 1
HEAD_ID = 1
# Unsealed events older than this mean sealing fell behind.
STALE_AFTER = datetime.timedelta(minutes=1)
# The columns an event's hash covers, besides the chain fields; a new column must be added here
# (with a new HASH_VERSION) to be protected.
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_role",
    "unit_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "client_ip",
    "channel",
    "rows",  # only when set: events written before it existed keep their hashes
)


# --- canonical form and hash ------------------------------------------------------------------------


def canonical_ip(value: str | None) -> str | None:
    """One spelling per address: PostgreSQL's inet and SQLite's text may print IPv6 differently."""
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value).split("%", 1)[0]).compressed
    except ValueError:
        return str(value)


def canonical_datetime(value: datetime.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical_json(value: Any) -> Any:
    # JSON read back from jsonb (PostgreSQL) or text (SQLite): the same dicts, lists, strings, ints.
    # A float is written as its repr, so 1.0 and 1 never collide and no database's rendering matters.
    if isinstance(value, dict):
        return {str(k): _canonical_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_json(v) for v in value]
    if isinstance(value, float):
        return {"$float": repr(value)}
    return value


def canonical_bytes(
    event: AuditEvent, *, chain_seq: int | None = None, prev_hash: str | None = None
) -> bytes:
    data = {
        "v": HASH_VERSION,
        "id": event.pk,
        "occurred_at": canonical_datetime(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "actor_role": event.actor_role,
        "unit_id": event.unit_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": _canonical_json(event.before),
        "after": _canonical_json(event.after),
        "request_id": event.request_id,
        "client_ip": canonical_ip(event.client_ip),
        "channel": event.channel,
        "chain_seq": event.chain_seq if chain_seq is None else chain_seq,
        "prev_hash": event.prev_hash if prev_hash is None else prev_hash,
    }
    if event.rows is not None:
        # The sealed business rows (core.sealed_rows); absent from events that wrote none, so the
        # hashes of events written before the column existed are unchanged.
        data["rows"] = _canonical_json(event.rows)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(event: AuditEvent, *, chain_seq: int | None = None, prev_hash: str | None = None) -> str:
    return hashlib.sha256(canonical_bytes(event, chain_seq=chain_seq, prev_hash=prev_hash)).hexdigest()


# --- sealing --------------------------------------------------------------------------------------


_q = plainsql.q


@functools.cache
def _head_sql(vendor: str, wait: bool) -> str:
    """The head's SELECT ... FOR UPDATE [SKIP LOCKED], written once from the model: the sealer runs
    after every committing request, and compiling the ORM query cost more than running it."""
    meta = AuditSeal._meta
    columns = ", ".join(plainsql.column(AuditSeal, n) for n in ("last_seq", "last_hash"))
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE" + (
            "" if wait or not connection.features.has_select_for_update_skip_locked else " SKIP LOCKED"
        )
    return f"SELECT {columns} FROM {_q(meta.db_table)} WHERE {_q(meta.pk.column)} = %s{lock}"


def _select_head(wait: bool) -> tuple[int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(connection.vendor, wait), [HEAD_ID])
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), row[1])


def _lock_head(*, wait: bool) -> tuple[int, str] | None:
    """The head's (last_seq, last_hash), its row locked for this transaction; None if another sealer
    holds it and wait is False."""
    head = _select_head(wait)
    if head is not None:
        return head
    if AuditSeal.objects.filter(pk=HEAD_ID).exists():
        return None  # it exists, so someone holds it
    # First seal ever: create the head. get_or_create survives a concurrent creator (IntegrityError
    # inside its savepoint, then a get), and the lock after it serialises the two.
    AuditSeal.objects.get_or_create(pk=HEAD_ID)
    return _select_head(wait)


@functools.cache
def _pending_select(vendor: str) -> tuple[str, plainsql.Columns]:
    """The unsealed events' SELECT (every column, in id order), written once per database vendor, and
    the columns that read its rows back as the ORM would (core.plainsql)."""
    columns = plainsql.Columns(AuditEvent, None)
    sql = (
        f"SELECT {', '.join(columns.sql)} FROM {_q(AuditEvent._meta.db_table)} "
        f"WHERE {plainsql.column(AuditEvent, 'chain_seq')} IS NULL ORDER BY {_q(AuditEvent._meta.pk.column)} "
        f"LIMIT %s"
    )
    return sql, columns


def _pending_batch(limit: int) -> list[AuditEvent]:
    """Up to `limit` unsealed events, read back as the ORM would read them (the hash covers the stored
    values), without compiling the query for every seal."""
    sql, columns = _pending_select(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        rows = cursor.fetchall()
    return [columns.instance(row) for row in rows]


def _save_head(last_seq: int, last_hash: str) -> None:
    """UPDATE the head (locked by this transaction) in one plain statement."""
    plainsql.update_row(
        AuditSeal, HEAD_ID, {"last_seq": last_seq, "last_hash": last_hash, "sealed_at": timezone.now()}
    )


def _seal_batch(*, limit: int, wait: bool) -> tuple[int, bool]:
    """Seal up to `limit` pending events in one transaction. Returns (sealed, had_the_lock)."""
    with transaction.atomic():
        head = _lock_head(wait=wait)
        if head is None:
            return 0, False
        # Read back from the database, so that the hash covers the stored values.
        batch = _pending_batch(limit)
        if not batch:
            return 0, True
        seq, prev = head
        for event in batch:
            seq += 1
            event.chain_seq, event.prev_hash = seq, prev
            event.hash = prev = event_hash(event)
        with sealer_writes():
            _write_seals(batch)
        _save_head(seq, prev)
        return len(batch), True


def _write_seals(batch: list[AuditEvent]) -> None:
    """Store the chain fields of a batch of unsealed events: one UPDATE ... FROM (VALUES ...) per 500
    events (PostgreSQL and SQLite alike), where bulk_update's CASE per column cost more to build than
    the rest of the seal. Only unsealed rows are written (as AuditEventQuerySet.update does, and the
    PostgreSQL trigger insists on); if any row of the batch was not, the seal is rolled back."""
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    fields = {f.name: f for f in AuditEvent._meta.concrete_fields}
    columns = [quote(fields[n].column) for n in ("id", "chain_seq", "prev_hash", "hash")]
    for start in range(0, len(batch), 500):
        chunk = batch[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params = [v for e in chunk for v in (e.pk, e.chain_seq, e.prev_hash, e.hash)]
        # VALUES names its columns column1..column4 on both databases.
        sql = (
            f"UPDATE {table} SET {columns[1]} = v.column2, {columns[2]} = v.column3, "
            f"{columns[3]} = v.column4 FROM (VALUES {values}) AS v "
            f"WHERE {table}.{columns[0]} = v.column1 AND {table}.{columns[1]} IS NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.rowcount != len(chunk):
                raise RuntimeError(
                    f"sealing wrote {cursor.rowcount} of {len(chunk)} events: some were sealed meanwhile"
                )


def pending_exists() -> bool:
    """Whether any committed event is unsealed: one plain statement (the partial index audit_unsealed
    answers it), run after every after-commit seal."""
    column = _q(AuditEvent._meta.get_field("chain_seq").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_q(AuditEvent._meta.db_table)} WHERE {column} IS NULL LIMIT 1")
        return cursor.fetchone() is not None


def seal_pending(limit: int = 1000, *, wait: bool = True, budget_seconds: float | None = None) -> int:
    """Seal every committed unsealed event; returns how many this call sealed.

    wait=True (CLI, task): queue for the head lock. wait=False (after commit): if another sealer
    holds the head, leave the events to it; it checks for pending events after its commit.
    Meant to run outside any transaction: inside one, the head stays locked until the caller commits.
    """
    started = time.monotonic()
    total = 0
    while True:
        sealed, had_lock = _seal_batch(limit=limit, wait=wait)
        total += sealed
        if not had_lock:
            return total
        # Events that committed while we held the head were left to us by their own sealers.
        if sealed < limit and not pending_exists():
            return total
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            _enqueue_safety_net()
            return total


def seal_mode() -> str:
    """settings.AUDIT_SEAL: "commit" (the default) seals in the committing thread, right after its
    commit; "background" leaves it to one sealer thread per process (see BackgroundSealer)."""
    mode = getattr(settings, "AUDIT_SEAL", "commit") or "commit"
    if mode not in ("commit", "background"):
        raise ImproperlyConfigured(f"AUDIT_SEAL must be 'commit' or 'background', not {mode!r}")
    return mode


def seal_after_commit() -> None:
    """The on_commit hook `audit_record` registers: seal without queueing on the head lock, or, in
    background mode, wake this process's sealer thread and return at once."""
    if seal_mode() == "background":
        background_sealer.wake()
        return
    try:
        seal_pending(wait=False, budget_seconds=2.0)
    except Exception:
        # The change itself has committed; the event waits, unsealed, for the safety net.
        logger.exception("sealing audit events after commit failed")
        _enqueue_safety_net()


class BackgroundSealer:
    """One thread per process that seals after commits, in batches, off the request.

    A commit wakes it; it waits settings.AUDIT_SEAL_GATHER_MS (100 ms by default) for the commits that
    follow, then seals everything
    pending (`seal_pending(wait=False)`: the lock-free protocol above, shared with the other processes'
    sealers and with `cuakhau audit seal`). A wake-up during a seal makes it go round again. Under load
    one seal transaction (about 7 statements and a commit) serves many events instead of one (at 200 gate
    events a second, 100 ms gathers about ten a process where 20 ms gathered two: 2.8 against 3.1 ms
    of PostgreSQL CPU an event); the price is that an event is in the chain up to that long after its
    transaction has answered rather than before. If the process dies in between, the next seal of any process, the task or the
    per-minute `cuakhau audit seal` takes its events."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = False

    def wake(self) -> None:
        self._ensure_thread()
        self._wake.set()

    def _ensure_thread(self) -> None:
        # Started on first use, and again in a forked child (gunicorn's workers), where it is gone.
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._wake = threading.Event()
            self._pid = os.getpid()
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="audit-sealer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from django.db import close_old_connections

        try:
            while True:
                self._wake.wait()
                time.sleep(float(getattr(settings, "AUDIT_SEAL_GATHER_MS", 100)) / 1000)
                self._wake.clear()
                close_old_connections()  # CONN_MAX_AGE and health checks, as for a request
                try:
                    seal_pending(wait=False)
                except Exception:
                    logger.exception("background sealing of audit events failed")
                    _enqueue_safety_net()
                    connection.close()
                    time.sleep(1.0)
                    self._wake.set()  # try again
                if self._stopping:
                    return
        finally:
            connection.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Seal what is pending, then end the thread and close its connection (tests, shutdown)."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return
        self._stopping = True
        self._wake.set()
        thread.join(timeout)


background_sealer = BackgroundSealer()


def _enqueue_safety_net() -> None:
    try:
        from .tasks import seal_audit_events

        seal_audit_events.enqueue()
    except Exception:
        logger.exception("could not enqueue seal_audit_events")


# --- verifying ------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool = True
    events: int = 0  # sealed events checked
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""
    unsealed: int = 0
    warnings: list[str] = field(default_factory=list)

    def broken(self, event: AuditEvent | None, reason: str, *, seq: int | None = None) -> VerifyResult:
        self.ok = False
        self.broken_id = event.pk if event is not None else None
        self.broken_seq = event.chain_seq if event is not None else seq
        self.reason = reason
        return self

    def __str__(self) -> str:
        if self.ok:
            return f"OK: {self.events} events, chain head {self.head_hash[:16]}"
        where = f"event #{self.broken_id}" if self.broken_id is not None else "chain head"
        return f"BROKEN at {where} (seq {self.broken_seq}): {self.reason}"


def verify_chain(*, batch_size: int = 2000, stale_after: datetime.timedelta = STALE_AFTER) -> VerifyResult:
    """Walk the chain by seq in batches (constant memory): every hash recomputed, every link and the
    head checked. Reports the first broken event. Events sealed after the walk starts are left for
    the next run."""
    result = VerifyResult()
    head = AuditSeal.objects.filter(pk=HEAD_ID).first()
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    result.head_seq, result.head_hash = head_seq, head_hash

    expected_seq, prev_hash, last = 1, GENESIS_HASH, None
    while expected_seq <= head_seq:
        batch = list(
            AuditEvent.objects.filter(chain_seq__gte=expected_seq, chain_seq__lte=head_seq).order_by(
                "chain_seq"
            )[:batch_size]
        )
        if not batch:
            break
        for event in batch:
            if event.chain_seq != expected_seq:
                missing = (
                    f"seq {expected_seq}"
                    if event.chain_seq == expected_seq + 1
                    else f"seq {expected_seq}–{event.chain_seq - 1}"
                )
                return result.broken(event, f"event(s) missing before it: {missing} (deleted?)")
            if event.prev_hash != prev_hash:
                return result.broken(event, "prev_hash does not match the previous event's hash")
            recomputed = event_hash(event)
            if event.hash != recomputed:
                return result.broken(event, "content does not match its hash (altered)")
            prev_hash, last = event.hash, event
            expected_seq += 1
            result.events += 1
    if expected_seq - 1 != head_seq:
        return result.broken(
            last,
            f"the chain ends at seq {expected_seq - 1} but the head says {head_seq} (events removed)",
            seq=expected_seq - 1,
        )
    if prev_hash != head_hash:
        return result.broken(last, "the head's hash does not match the last event's hash")
    beyond = AuditEvent.objects.filter(chain_seq__gt=head_seq).order_by("chain_seq").first()
    if beyond is not None:
        current_head = AuditSeal.objects.filter(pk=HEAD_ID).values_list("last_seq", flat=True).first() or 0
        if current_head == head_seq:  # not a seal that happened during the walk
            return result.broken(beyond, f"sealed beyond the chain head (seq {head_seq})")

    unsealed = AuditEvent.objects.filter(chain_seq__isnull=True)
    result.unsealed = unsealed.count()
    stale = unsealed.filter(occurred_at__lt=timezone.now() - stale_after).count()
    if stale:
        result.warnings.append(
            f"{stale} event(s) unsealed for more than {int(stale_after.total_seconds())} s: sealing fell "
            "behind (run `cuakhau audit seal`)"
        )
    return result


def verify_event(event: AuditEvent) -> dict[str, Any]:
    """One event's standing in the chain, for the detail page: its hash recomputed, and its links to
    the events before and after it."""
    if event.chain_seq is None:
        return {"sealed": False, "ok": None, "hash_ok": None, "prev_ok": None, "next_ok": None}
    hash_ok = event.hash == event_hash(event)
    if event.chain_seq == 1:
        prev_ok = event.prev_hash == GENESIS_HASH
    else:
        prev = AuditEvent.objects.filter(chain_seq=event.chain_seq - 1).values_list("hash", flat=True).first()
        prev_ok = prev is not None and prev == event.prev_hash
    following = (
        AuditEvent.objects.filter(chain_seq=event.chain_seq + 1).values_list("prev_hash", flat=True).first()
    )
    if following is None:
        head = AuditSeal.objects.filter(pk=HEAD_ID).first()
        next_ok = head is not None and head.last_seq == event.chain_seq and head.last_hash == event.hash
    else:
        next_ok = following == event.hash
    return {
        "sealed": True,
        "ok": hash_ok and prev_ok and next_ok,
        "hash_ok": hash_ok,
        "prev_ok": prev_ok,
        "next_ok": next_ok,
    }

"""Writing to the audit log. Services call `audit_record` inside their transaction; the event is
sealed into the hash chain after commit (see `seal_pending`)."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.transaction import get_connection

from . import plainsql, sealed_rows
from .actions import audit_actions
from .context import current
from .models import AuditEvent


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a value, stable across databases (used for before/after and hashing)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an object (foreign keys as ids), for an event's before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname if field.is_relation else field.name] = jsonable(getattr(obj, field.attname))
    return data


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    actor: Any = None,
    unit: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. Must be called inside the service's transaction, so the event commits or
    rolls back with the change it describes. The action is a name its app registered
    (core.actions.audit_actions); the test settings refuse any other."""
    if getattr(settings, "CUAKHAU_STRICT_AUDIT_ACTIONS", False) and not audit_actions.is_registered(action):
        raise ValueError(f"audit action {action!r} is not registered (core.actions.audit_actions.register)")
    ctx = current()
    actor = actor if actor is not None else ctx.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if unit is None and actor is not None:
        unit = getattr(actor, "unit", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    event = AuditEvent(
        actor=actor,
        actor_label=(getattr(actor, "username", "") if actor is not None else "")[:150],
        actor_role=(getattr(actor, "role", "") if actor is not None else "")[:32],
        unit=unit,
        action=action[:80],
        object_type=object_type[:80],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        request_id=(ctx.request_id or "")[:64],
        client_ip=_valid_ip(ctx.client_ip),
        channel=(ctx.channel or "")[:16],
        # The legal fields of the registered rows this transaction wrote (core.sealed_rows).
        rows=sealed_rows.collect(obj),
    )
    # Always an INSERT (AuditEvent.save's rule), built once from the model (core.plainsql): every
    # service writes one, and compiling ORM inserts cost more than the database spent on them.
    plainsql.insert(event)
    _seal_on_commit()
    return event


def _valid_ip(value: str | None) -> str | None:
    # A forwarded header may carry anything; PostgreSQL's inet column would reject it mid-transaction.
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value).strip().split("%", 1)[0]).compressed
    except ValueError:
        return None


def _seal_on_commit() -> None:
    """Register the sealer once per transaction (a service may record several events)."""
    connection = get_connection()
    if any(func is _seal_after_commit for _sids, func, _robust in getattr(connection, "run_on_commit", ())):
        return
    # robust: the change has committed; a failing sealer must not turn the response into a 500.
    transaction.on_commit(_seal_after_commit, robust=True)


def _seal_after_commit() -> None:
    from .audit_chain import seal_after_commit

    seal_after_commit()

"""Gapless counters: the one way a number is taken from a counter row (receipt series, dossier codes,
queue numbers). A counter is a model with a `last_number` field and a unique key (the series' unit and
year, the agency and day, the gate and direction). `take_next` increments it in one statement:

    UPDATE <counter> SET last_number = last_number + 1 WHERE <key> [AND last_number < limit] RETURNING ...

which locks the row until the caller's transaction ends. A concurrent caller waits, then increments the
committed value; a rollback gives the number back. So numbers are gapless and never shared, provided the
caller writes what it numbers in the same transaction (it must run inside one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction


def take_next(
    model,
    *,
    key: dict[str, Any],
    create: bool = False,
    limit: int | None = None,
    returning: Sequence[str] = (),
) -> dict[str, Any] | None:
    """Increment the counter row matching `key` and return {"last_number": n, **returning fields}.
    None when there is no such row (and `create` is off) or the counter has reached `limit`. With
    `create`, a missing row is created first (a race to create it is settled by the unique key)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_next must run inside the transaction that writes what it numbers")
    row = _increment(model, key, limit, returning)
    if row is None and create and not model.objects.filter(**key).exists():
        try:
            with transaction.atomic():  # a savepoint: losing the race to create the row is not fatal
                model.objects.create(**key)
        except IntegrityError:
            pass
        row = _increment(model, key, limit, returning)
    return row


def _increment(model, key, limit, returning) -> dict[str, Any] | None:
    meta = model._meta
    quote = connection.ops.quote_name
    last = quote(meta.get_field("last_number").column)
    where, params = [], []
    for name, value in key.items():
        field = meta.get_field(name)
        if hasattr(value, "pk"):
            value = value.pk
        where.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_value(value, connection) if not field.is_relation else value)
    if limit is not None:
        where.append(f"{last} < %s")
        params.append(limit)
    names = ["last_number", *returning]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {last} = {last} + 1 WHERE {' AND '.join(where)} "
        f"RETURNING {', '.join(quote(meta.get_field(n).column) for n in names)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return None if found is None else dict(zip(names, found, strict=True))

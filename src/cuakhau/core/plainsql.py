"""Hot-path statements written once from the models and run without the query compiler.

On the paths that run hundreds of times a minute (device gate events, the fee assessed at gate-in, the
audit event every service writes, the audit seal), building each ORM statement (compiling the query,
instantiating rows) cost more CPU than the database spent running it. The helpers here build a
statement once per model and database vendor from the model's table and columns (a renamed column
changes it too); values go in through the fields' own `pre_save` / `get_db_prep_save`, exactly as
`Model.save` prepares them, and come out through the backend's and the fields' converters, as the ORM
reads them; each runs as one `cursor.execute`. They behave the same on PostgreSQL and SQLite (RETURNING
and ON CONFLICT need SQLite 3.35). No model signals are sent: use them only for models nothing listens
to (see each caller).

Everything else goes through the ORM as usual."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def q(name: str) -> str:
    """A quoted table or column name."""
    return connection.ops.quote_name(name)


def column(model, name: str, alias: str | None = None) -> str:
    """The quoted column of a model's field, prefixed by a table alias if given."""
    col = q(model._meta.get_field(name).column)
    return f"{alias}.{col}" if alias else col


def prep(field, value):
    """A value as a lookup on `field` would send it to the database."""
    return field.get_db_prep_value(value, connection, prepared=False)


def converters(model, field) -> tuple[list, Any]:
    """The backend's and the field's converters of a column, and the expression they are called with."""
    col = field.get_col(model._meta.db_table)
    return connection.ops.get_db_converters(col) + field.get_db_converters(connection), col


def convert(value, found: tuple[list, Any]):
    """A value read from the database, converted as the ORM would (see `converters`)."""
    functions, col = found
    for converter in functions:
        value = converter(value, col, connection)
    return value


class Columns:
    """Some concrete fields of a model, in the model's order (what Model.from_db takes), read from a
    result row starting at `start` and converted as the ORM would."""

    def __init__(self, model, names: Iterable[str] | None, alias: str = "") -> None:
        names = None if names is None else set(names)
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if names is None or f.attname in names]
        self.attnames = [f.attname for f in self.fields]
        prefix = f"{alias}." if alias else ""
        self.sql = [f"{prefix}{q(f.column)}" for f in self.fields]
        self.converters = [converters(model, f) for f in self.fields]

    def values(self, row: Sequence, start: int = 0) -> list:
        return [
            convert(row[start + i], conv) if conv[0] and row[start + i] is not None else row[start + i]
            for i, conv in enumerate(self.converters)
        ]

    def instance(self, row: Sequence, start: int = 0):
        return self.model.from_db(connection.alias, self.attnames, self.values(row, start))


@functools.cache
def _insert_sql(model, vendor: str, ignore_conflicts: bool) -> tuple[str, list]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
        f"{' ON CONFLICT DO NOTHING' if ignore_conflicts else ''} RETURNING {q(model._meta.pk.column)}"
    )
    return sql, fields


def insert(obj: models.Model, *, ignore_conflicts: bool = False) -> int | None:
    """INSERT one new instance (its values prepared as Model.save prepares them) and return its id, or
    None if `ignore_conflicts` and a unique index already held the row (nothing is inserted and the
    transaction is not aborted). The instance becomes saved."""
    sql, fields = _insert_sql(type(obj), connection.vendor, ignore_conflicts)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return obj.pk


@functools.cache
def _update_sql(model, vendor: str, names: tuple[str, ...]) -> tuple[str, list]:
    fields = [model._meta.get_field(name) for name in names]
    sets = ", ".join(f"{q(f.column)} = %s" for f in fields)
    return f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q(model._meta.pk.column)} = %s", fields


def update(obj: models.Model, names: Sequence[str]) -> None:
    """UPDATE the named fields of a saved instance, plus its auto_now fields (as save(update_fields=)
    would)."""
    auto = tuple(
        f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False) and f.name not in names
    )
    sql, fields = _update_sql(type(obj), connection.vendor, (*names, *auto))
    values = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, obj.pk])


def update_row(model, pk: Any, values: dict[str, Any]) -> None:
    """UPDATE the named fields of one row by id, without an instance."""
    sql, fields = _update_sql(model, connection.vendor, tuple(values))
    prepared = [f.get_db_prep_save(values[f.name], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*prepared, pk])

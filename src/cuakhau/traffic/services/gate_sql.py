"""The gate-event path's statements, written once from the models and run without the query compiler.

A device posts hundreds of events a minute at a busy gate, and building each ORM statement (compiling
the query, instantiating select_related rows) cost more CPU than PostgreSQL spent running it. Each
statement here is built once per database vendor from the models' tables and columns (so a renamed
column changes it too), its values go through the fields' own `pre_save` / `get_db_prep_save` on the
way in and the backend's and fields' converters on the way out, exactly as the ORM does, and it runs as
one `cursor.execute`. They behave the same on PostgreSQL and SQLite (RETURNING and ON CONFLICT need
SQLite 3.35, as the idempotency claim already did); FOR UPDATE is added where the database has it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from cuakhau.core.models import Unit
from cuakhau.parties.models import Enterprise, Vehicle

from ..models import (
    ACTIVE_STATUSES,
    AgencyCheck,
    CheckStatus,
    Container,
    Declaration,
    GoodsLine,
    Status,
    YardStay,
)

# What applying an event reads of its declaration (the rest stays deferred, loaded only if touched).
DECLARATION_FIELDS = frozenset(
    {
        "id",
        "enterprise_id",
        "vehicle_id",
        "trailer_id",
        "gate_id",
        "flow",
        "direction",
        "two_way",
        "status",
        "queue_number",
        "pass_nonce",
        "fee_assessment_id",
        "fee_error",
    }
)
VEHICLE_FIELDS = frozenset({"id", "plate", "plate_key", "tonnage"})


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model, name: str, alias: str | None = None) -> str:
    column = _q(model._meta.get_field(name).column)
    return f"{alias}.{column}" if alias else column


def _converters(model, field) -> tuple[list, Any]:
    """The backend's and the field's converters of a column, and the expression they are called with."""
    col = field.get_col(model._meta.db_table)
    return connection.ops.get_db_converters(col) + field.get_db_converters(connection), col


def _convert(value, converters):
    functions, col = converters
    for converter in functions:
        value = converter(value, col, connection)
    return value


class _Columns:
    """Some concrete fields of a model, in the model's order (what Model.from_db takes), read from a
    result row starting at `start` and converted as the ORM would."""

    def __init__(self, model, names: Iterable[str], alias: str) -> None:
        names = set(names)
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.attname in names]
        self.attnames = [f.attname for f in self.fields]
        self.sql = [f"{alias}.{_q(f.column)}" for f in self.fields]
        self.converters = [_converters(model, f) for f in self.fields]

    def values(self, row: Sequence, start: int) -> list:
        return [
            _convert(row[start + i], conv) if conv[0] and row[start + i] is not None else row[start + i]
            for i, conv in enumerate(self.converters)
        ]

    def instance(self, row: Sequence, start: int):
        return self.model.from_db(connection.alias, self.attnames, self.values(row, start))


class _Match:
    """SELECT a declaration with its vehicle and its enterprise's unit id, locked FOR UPDATE OF the
    declaration where the database can."""

    def __init__(self) -> None:
        self.declaration = _Columns(Declaration, DECLARATION_FIELDS, "d")
        self.vehicle = _Columns(Vehicle, VEHICLE_FIELDS, "v")
        select = ", ".join([*self.declaration.sql, *self.vehicle.sql, _column(Enterprise, "unit", "e")])
        self.head = (
            f"SELECT {select} FROM {_q(Declaration._meta.db_table)} d "
            f"INNER JOIN {_q(Vehicle._meta.db_table)} v ON v.{_q('id')} = {_column(Declaration, 'vehicle', 'd')} "
            f"INNER JOIN {_q(Enterprise._meta.db_table)} e "
            f"ON e.{_q('id')} = {_column(Declaration, 'enterprise', 'd')} "
        )
        self.lock = " FOR UPDATE OF d" if connection.features.has_select_for_update_of else ""
        vehicles = _q(Vehicle._meta.db_table)
        key = _column(Vehicle, "plate_key")
        by_plate = (
            f"({_column(Declaration, 'vehicle', 'd')} IN (SELECT {_q('id')} FROM {vehicles} WHERE {key} = %s) "
            f"OR {_column(Declaration, 'trailer', 'd')} IN (SELECT {_q('id')} FROM {vehicles} WHERE {key} = %s))"
        )
        status = _column(Declaration, "status", "d")
        active = ", ".join(["%s"] * len(ACTIVE_STATUSES))
        self.by_qr = (
            f"{self.head}WHERE d.{_q('id')} = %s AND {_column(Declaration, 'pass_nonce', 'd')} = %s "
            f"AND {_column(Declaration, 'pass_nonce', 'd')} <> ''{self.lock}"
        )
        self.active = (
            f"{self.head}WHERE {by_plate} AND {status} IN ({active}) "
            f"ORDER BY d.{_q('id')} DESC LIMIT 1{self.lock}"
        )
        crossed_at = _column(Declaration, "crossed_at", "d")
        self.crossed = (
            f"{self.head}WHERE {by_plate} AND {status} = %s AND {crossed_at} >= %s "
            f"ORDER BY {crossed_at} DESC LIMIT 1{self.lock}"
        )
        self.crossed_at = Declaration._meta.get_field("crossed_at")

    def run(self, sql: str, params: list) -> Declaration | None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        declaration = self.declaration.instance(row, 0)
        n = len(self.declaration.fields)
        vehicle = self.vehicle.instance(row, n)
        unit_id = row[n + len(self.vehicle.fields)]
        declaration._state.fields_cache["vehicle"] = vehicle
        # The enterprise's unit, by its id only (the foreign key says it exists): fee_assess takes it.
        enterprise = Enterprise.from_db(
            connection.alias, ["id", "unit_id"], [declaration.enterprise_id, unit_id]
        )
        enterprise._state.fields_cache["unit"] = (
            Unit.from_db(connection.alias, ["id"], [unit_id]) if unit_id is not None else None
        )
        declaration._state.fields_cache["enterprise"] = enterprise
        return declaration


@functools.cache
def _match(vendor: str) -> _Match:
    return _Match()


def match_qr(pk: int, nonce: str) -> Declaration | None:
    m = _match(connection.vendor)
    return m.run(m.by_qr, [pk, nonce])


def match_active(plate_key: str) -> Declaration | None:
    m = _match(connection.vendor)
    return m.run(m.active, [plate_key, plate_key, *ACTIVE_STATUSES])


def match_crossed(plate_key: str, since) -> Declaration | None:
    m = _match(connection.vendor)
    return m.run(m.crossed, [plate_key, plate_key, Status.CROSSED, _prep(m.crossed_at, since)])


def _prep(field, value):
    return field.get_db_prep_value(value, connection, prepared=False)


@functools.cache
def _goods_sql(vendor: str) -> tuple[str, tuple]:
    lines, containers = _q(GoodsLine._meta.db_table), _q(Container._meta.db_table)
    sql = (
        f"SELECT 0, {_column(GoodsLine, 'line_no')}, {_column(GoodsLine, 'hs_code')}, "
        f"{_column(GoodsLine, 'gross_kg')}, {_column(GoodsLine, 'value_vnd')} FROM {lines} "
        f"WHERE {_column(GoodsLine, 'declaration')} = %s "
        f"UNION ALL SELECT 1, {_q('id')}, '', {_column(Container, 'size')}, NULL FROM {containers} "
        f"WHERE {_column(Container, 'declaration')} = %s ORDER BY 1, 2"
    )
    return sql, _converters(GoodsLine, GoodsLine._meta.get_field("gross_kg"))


def goods(declaration_id: int) -> tuple[list[tuple[str, Any, int | None]], list[int]]:
    """A declaration's goods lines (HS code, gross kg as Decimal, value in đồng) in line order, and its
    container sizes: one statement for both."""
    sql, converters = _goods_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [declaration_id, declaration_id])
        rows = cursor.fetchall()
    lines = [
        (hs, _convert(kg, converters), None if value is None else int(value))
        for kind, _n, hs, kg, value in rows
        if kind == 0
    ]
    sizes = [int(size) for kind, _n, _hs, size, _v in rows if kind == 1]
    return lines, sizes


@functools.cache
def _waiting_sql(vendor: str) -> str:
    return (
        f"SELECT {_column(AgencyCheck, 'agency_kind')}, {_column(AgencyCheck, 'status')}, "
        f"{_column(AgencyCheck, 'note')} FROM {_q(AgencyCheck._meta.db_table)} "
        f"WHERE {_column(AgencyCheck, 'declaration')} = %s AND {_column(AgencyCheck, 'status')} <> %s "
        f"ORDER BY {_q('id')}"
    )


def waiting_checks(declaration_id: int) -> list[AgencyCheck]:
    """The declaration's agency checks that have not passed, as unsaved instances (kind, status, note)."""
    with connection.cursor() as cursor:
        cursor.execute(_waiting_sql(connection.vendor), [declaration_id, CheckStatus.PASSED])
        rows = cursor.fetchall()
    return [AgencyCheck(agency_kind=kind, status=status, note=note) for kind, status, note in rows]


# --- writes ---------------------------------------------------------------------------------------


@functools.cache
def _insert_sql(model, vendor: str, ignore_conflicts: bool) -> tuple[str, list]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    sql = (
        f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
        f"{' ON CONFLICT DO NOTHING' if ignore_conflicts else ''} RETURNING {_q(model._meta.pk.column)}"
    )
    return sql, fields


def insert(obj: models.Model, *, ignore_conflicts: bool = False) -> int | None:
    """INSERT one new instance (its values prepared as Model.save prepares them) and return its id, or
    None if ignore_conflicts and a unique constraint already held the row. The instance becomes saved."""
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
    sets = ", ".join(f"{_q(f.column)} = %s" for f in fields)
    return f"UPDATE {_q(model._meta.db_table)} SET {sets} WHERE {_q(model._meta.pk.column)} = %s", fields


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


def update_row(model, pk: int, values: dict[str, Any]) -> None:
    """UPDATE the named fields of one row by id, without an instance."""
    sql, fields = _update_sql(model, connection.vendor, tuple(values))
    prepared = [f.get_db_prep_save(values[f.name], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*prepared, pk])


@functools.cache
def _close_stay_sql(vendor: str) -> str:
    return (
        f"UPDATE {_q(YardStay._meta.db_table)} SET {_column(YardStay, 'left_at')} = %s, "
        f"{_column(YardStay, 'out_event')} = %s WHERE {_column(YardStay, 'yard')} = %s "
        f"AND {_column(YardStay, 'plate_key')} = %s AND {_column(YardStay, 'left_at')} IS NULL"
    )


def close_stay(event) -> None:
    """The plate's open stay in the event's yard ends with this gate-out event."""
    left_at = _prep(YardStay._meta.get_field("left_at"), event.occurred_at)
    with connection.cursor() as cursor:
        cursor.execute(
            _close_stay_sql(connection.vendor), [left_at, event.pk, event.yard_id, event.plate_key]
        )

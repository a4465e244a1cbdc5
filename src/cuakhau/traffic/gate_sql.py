"""The gate-event path's reads, written once from the models and run without the query compiler
(core.plainsql: why, and the helpers; its `insert` / `update` / `update_row` are the path's writes).

The match (`SELECT ... FOR UPDATE OF d`, loading only what applying an event reads), the goods lines and
containers in one `UNION ALL`, the agency checks that have not passed, the closing of a yard stay and
of a crossed trip's fee refusals are specific to traffic, so they live here. They behave the same on
PostgreSQL and SQLite; FOR UPDATE is added where the database has it."""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection

from cuakhau.core.models import Unit
from cuakhau.core.plainsql import Columns, column, convert, converters, prep, q
from cuakhau.parties.models import Enterprise, Vehicle

from .models import (
    ACTIVE_STATUSES,
    AgencyCheck,
    CheckStatus,
    Container,
    Declaration,
    ExceptionReason,
    ExceptionStatus,
    GateException,
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


class _Match:
    """SELECT a declaration with its vehicle and its enterprise's unit id, locked FOR UPDATE OF the
    declaration where the database can."""

    def __init__(self) -> None:
        self.declaration = Columns(Declaration, DECLARATION_FIELDS, "d")
        self.vehicle = Columns(Vehicle, VEHICLE_FIELDS, "v")
        select = ", ".join([*self.declaration.sql, *self.vehicle.sql, column(Enterprise, "unit", "e")])
        self.head = (
            f"SELECT {select} FROM {q(Declaration._meta.db_table)} d "
            f"INNER JOIN {q(Vehicle._meta.db_table)} v ON v.{q('id')} = {column(Declaration, 'vehicle', 'd')} "
            f"INNER JOIN {q(Enterprise._meta.db_table)} e "
            f"ON e.{q('id')} = {column(Declaration, 'enterprise', 'd')} "
        )
        self.lock = " FOR UPDATE OF d" if connection.features.has_select_for_update_of else ""
        vehicles = q(Vehicle._meta.db_table)
        key = column(Vehicle, "plate_key")
        by_plate = (
            f"({column(Declaration, 'vehicle', 'd')} IN (SELECT {q('id')} FROM {vehicles} WHERE {key} = %s) "
            f"OR {column(Declaration, 'trailer', 'd')} IN (SELECT {q('id')} FROM {vehicles} WHERE {key} = %s))"
        )
        status = column(Declaration, "status", "d")
        active = ", ".join(["%s"] * len(ACTIVE_STATUSES))
        self.by_qr = (
            f"{self.head}WHERE d.{q('id')} = %s AND {column(Declaration, 'pass_nonce', 'd')} = %s "
            f"AND {column(Declaration, 'pass_nonce', 'd')} <> ''{self.lock}"
        )
        self.active = (
            f"{self.head}WHERE {by_plate} AND {status} IN ({active}) "
            f"ORDER BY d.{q('id')} DESC LIMIT 1{self.lock}"
        )
        crossed_at = column(Declaration, "crossed_at", "d")
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
    return m.run(m.crossed, [plate_key, plate_key, Status.CROSSED, prep(m.crossed_at, since)])


@functools.cache
def _goods_sql(vendor: str) -> tuple[str, tuple]:
    lines, containers = q(GoodsLine._meta.db_table), q(Container._meta.db_table)
    sql = (
        f"SELECT 0, {column(GoodsLine, 'line_no')}, {column(GoodsLine, 'hs_code')}, "
        f"{column(GoodsLine, 'gross_kg')}, {column(GoodsLine, 'value_vnd')} FROM {lines} "
        f"WHERE {column(GoodsLine, 'declaration')} = %s "
        f"UNION ALL SELECT 1, {q('id')}, '', {column(Container, 'size')}, NULL FROM {containers} "
        f"WHERE {column(Container, 'declaration')} = %s ORDER BY 1, 2"
    )
    return sql, converters(GoodsLine, GoodsLine._meta.get_field("gross_kg"))


def goods(declaration_id: int) -> tuple[list[tuple[str, Any, int | None]], list[int]]:
    """A declaration's goods lines (HS code, gross kg as Decimal, value in đồng) in line order, and its
    container sizes: one statement for both."""
    sql, converters = _goods_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [declaration_id, declaration_id])
        rows = cursor.fetchall()
    lines = [
        (hs, convert(kg, converters), None if value is None else int(value))
        for kind, _n, hs, kg, value in rows
        if kind == 0
    ]
    sizes = [int(size) for kind, _n, _hs, size, _v in rows if kind == 1]
    return lines, sizes


@functools.cache
def _waiting_sql(vendor: str) -> str:
    return (
        f"SELECT {column(AgencyCheck, 'agency_kind')}, {column(AgencyCheck, 'status')}, "
        f"{column(AgencyCheck, 'note')} FROM {q(AgencyCheck._meta.db_table)} "
        f"WHERE {column(AgencyCheck, 'declaration')} = %s AND {column(AgencyCheck, 'status')} <> %s "
        f"ORDER BY {q('id')}"
    )


def waiting_checks(declaration_id: int) -> list[AgencyCheck]:
    """The declaration's agency checks that have not passed, as unsaved instances (kind, status, note)."""
    with connection.cursor() as cursor:
        cursor.execute(_waiting_sql(connection.vendor), [declaration_id, CheckStatus.PASSED])
        rows = cursor.fetchall()
    return [AgencyCheck(agency_kind=kind, status=status, note=note) for kind, status, note in rows]


# --- writes ---------------------------------------------------------------------------------------


@functools.cache
def _close_stay_sql(vendor: str) -> str:
    return (
        f"UPDATE {q(YardStay._meta.db_table)} SET {column(YardStay, 'left_at')} = %s, "
        f"{column(YardStay, 'out_event')} = %s WHERE {column(YardStay, 'yard')} = %s "
        f"AND {column(YardStay, 'plate_key')} = %s AND {column(YardStay, 'left_at')} IS NULL"
    )


def close_stay(event) -> None:
    """The plate's open stay in the event's yard ends with this gate-out event."""
    left_at = prep(YardStay._meta.get_field("left_at"), event.occurred_at)
    with connection.cursor() as cursor:
        cursor.execute(
            _close_stay_sql(connection.vendor), [left_at, event.pk, event.yard_id, event.plate_key]
        )


@functools.cache
def _close_refusals_sql(vendor: str) -> str:
    return (
        f"UPDATE {q(GateException._meta.db_table)} SET {column(GateException, 'status')} = %s, "
        f"{column(GateException, 'note')} = %s, {column(GateException, 'resolved_at')} = %s "
        f"WHERE {column(GateException, 'declaration')} = %s AND {column(GateException, 'status')} = %s "
        f"AND {column(GateException, 'reason')} = %s"
    )


def close_refusals(declaration_id: int, at, note: str) -> None:
    """The trip crossed: its gate-outs refused for the fee (paid since, or the rule changed) are no longer
    open for the operators. One statement, by the exceptions' declaration index; usually no row."""
    resolved_at = prep(GateException._meta.get_field("resolved_at"), at)
    with connection.cursor() as cursor:
        cursor.execute(
            _close_refusals_sql(connection.vendor),
            [
                ExceptionStatus.RESOLVED,
                note[:500],
                resolved_at,
                declaration_id,
                ExceptionStatus.OPEN,
                ExceptionReason.UNPAID,
            ],
        )

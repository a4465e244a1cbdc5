"""The trips: each one's goods lines, gate events and fee charge, built in memory a month at a time
and written in bulk; `generate_trips` runs the generator over a range of days."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cuakhau.core.audit import audit_record
from cuakhau.core.loaders import analyze, bulk_write, reserve_ids
from cuakhau.core.service import batch
from cuakhau.core.workcal.lunar import lunar_new_year

from ..models import (
    Declaration,
    Direction,
    EventKind,
    Flow,
    GateEvent,
    GoodsLine,
    MatchedBy,
    Status,
    Yard,
    goods_kind,
)
from .pools import SYNTHETIC, ensure_pools
from .volumes import GROWTH, day_factor, fruit_weights, gate_volumes, harvest_factor

# (HS code, description, unit, USD per kg): what crosses at Lạng Sơn.
FRUIT = {
    "mango": ("08045020", "Xoài tươi", 0.9),
    "lychee": ("08109020", "Vải tươi", 1.6),
    "longan": ("08109010", "Nhãn tươi", 1.3),
    "durian": ("08106000", "Sầu riêng tươi", 3.2),
    "dragon": ("08109092", "Thanh long tươi", 0.8),
    "jackfruit": ("08109030", "Mít tươi", 0.7),
}
EXPORT_GOODS = [
    # HS code, description, USD per kg, weight
    ("07141011", "Sắn lát khô", 0.25, 10),
    ("11081400", "Tinh bột sắn", 0.45, 8),
    ("40012290", "Cao su tự nhiên SVR", 1.5, 6),
    ("44071190", "Gỗ thông xẻ", 0.35, 5),
    ("03061719", "Tôm đông lạnh", 7.0, 4),
    ("08013200", "Hạt điều đã bóc vỏ", 6.0, 3),
    ("85177990", "Linh kiện điện thoại", 40.0, 4),
    ("61091010", "Áo phông dệt kim", 8.0, 3),
    ("09041120", "Hạt tiêu đen", 3.5, 2),
]
IMPORT_GOODS = [
    ("84295200", "Máy đào bánh xích", 6.0, 8),
    ("85176290", "Thiết bị viễn thông", 25.0, 10),
    ("85340010", "Mạch in", 30.0, 6),
    ("31052000", "Phân bón NPK", 0.35, 8),
    ("72085100", "Thép cán nóng", 0.6, 8),
    ("39012000", "Hạt nhựa PE", 1.1, 7),
    ("52030000", "Bông xơ", 1.8, 4),
    ("08081000", "Táo tươi", 1.0, 6),
    ("07031019", "Hành tây", 0.25, 5),
    ("87042229", "Ô tô tải", 4.0, 3),
    ("73089099", "Kết cấu thép", 1.2, 5),
    ("29051100", "Methanol", 0.4, 3),
]
EXPORT_FLOWS = [
    (Flow.EXPORT, 88),
    (Flow.TEMP_EXPORT_REIMPORT, 2),
    (Flow.BONDED, 4),
    (Flow.TRANSSHIPMENT, 4),
    (Flow.BORDER_RESIDENT, 2),
]
IMPORT_FLOWS = [
    (Flow.IMPORT, 86),
    (Flow.TEMP_IMPORT_REEXPORT, 7),
    (Flow.BONDED, 3),
    (Flow.TRANSIT, 2),
    (Flow.TRANSSHIPMENT, 2),
]
TONNES = (Decimal(8), Decimal(15), Decimal(20), Decimal(25), Decimal(30))
APPROX_VND = {"VND": 1, "USD": 24_000, "CNY": 3_400}  # the declarant's own conversion (value_vnd)


def _weighted(rnd: random.Random, items):
    return rnd.choices([i[0] for i in items], weights=[i[-1] for i in items])[0]


DECLARATION_COLUMNS = [
    "id",
    "enterprise_id",
    "vehicle_id",
    "driver_id",
    "gate_id",
    "flow",
    "direction",
    "two_way",
    "planned_arrival",
    "note",
    "status",
    "return_reason",
    "cancel_reason",
    "pass_nonce",
    "fee_assessment_id",
    "fee_error",
    "submitted_at",
    "approved_at",
    "called_at",
    "yard_in_at",
    "crossed_at",
    "completed_at",
    "cancelled_at",
    "created_at",
    "updated_at",
]
LINE_COLUMNS = [
    "declaration_id",
    "line_no",
    "hs_code",
    "description",
    "quantity",
    "unit",
    "gross_kg",
    "value",
    "currency",
    "value_vnd",
]
EVENT_COLUMNS = [
    "gate_id",
    "yard_id",
    "kind",
    "occurred_at",
    "received_at",
    "plate",
    "plate_key",
    "declaration_id",
    "matched_by",
    "result",
    "detail",
]


class _Month:
    """The rows of one month's trips, built in memory and written in one transaction."""

    def __init__(self):
        self.declarations: list[tuple] = []
        self.lines: list[tuple] = []
        self.events: list[tuple] = []
        self.charges: list = []
        self.charge_index: list[int] = []  # declaration row of each charge


def _trip(month: _Month, *, rnd, pools, gate_pk, yard_pk, export: bool, day, fruit, tz) -> None:
    from cuakhau.fees.generate import SyntheticCharge

    # A few enterprises carry much of the trade: index ~ n * u**2.5 favours the first ones.
    ent_pk, unit_pk, _name = pools.enterprises[int(len(pools.enterprises) * rnd.random() ** 2.5)]
    country = "VN" if rnd.random() < (0.8 if export else 0.55) else "CN"
    v_pk, plate, key = rnd.choice(pools.vehicles[country] or pools.vehicles["VN"])
    flow = _weighted(rnd, EXPORT_FLOWS if export else IMPORT_FLOWS)
    # The goods: one product (fruit in season for many exports), on one to three lines.
    if export and rnd.random() < 0.2 + 0.12 * sum(fruit.values()):
        name = rnd.choices(list(fruit), weights=[w + 0.02 for w in fruit.values()])[0]
        hs, description, usd_kg = FRUIT[name]
    else:
        hs, description, usd_kg, _w = rnd.choices(
            EXPORT_GOODS if export else IMPORT_GOODS,
            weights=[g[3] for g in (EXPORT_GOODS if export else IMPORT_GOODS)],
        )[0]
    tonnes = rnd.choice(TONNES)
    n_lines = 1 if rnd.random() < 0.7 else (2 if rnd.random() < 0.75 else 3)
    currency = rnd.choices(("USD", "CNY", "VND"), weights=(50, 35, 15) if export else (40, 60, 0))[0]
    rate = {"USD": 1, "CNY": 7.1, "VND": 24_000}[currency]
    decl_no = len(month.declarations)
    # Times: a gate-in between 06:00 and 22:00, crossing one to ten hours later.
    yard_in = dt.datetime.combine(day, dt.time(6), tz) + dt.timedelta(minutes=rnd.randrange(16 * 60))
    submitted = yard_in - dt.timedelta(minutes=rnd.randrange(240, 2880))
    approved = submitted + dt.timedelta(minutes=rnd.randrange(10, 180))
    called = yard_in - dt.timedelta(minutes=rnd.randrange(15, 120))
    called = max(called, approved + dt.timedelta(minutes=5))
    crossed = yard_in + dt.timedelta(minutes=rnd.randrange(60, 600))
    completed = crossed + dt.timedelta(minutes=rnd.randrange(2, 30))
    created = submitted - dt.timedelta(minutes=rnd.randrange(5, 60))
    direction = Direction.EXIT if export else Direction.ENTRY
    if rnd.random() < 0.015:  # cancelled before arrival: no lines crossed, no fee
        cancelled = approved + dt.timedelta(minutes=rnd.randrange(30, 600))
        month.declarations.append(
            [None, ent_pk, v_pk, pools.drivers[v_pk], gate_pk, flow, direction, False, called, SYNTHETIC,
             Status.CANCELLED, "", "Doanh nghiệp hủy chuyến", "", None, "", submitted, approved, None, None,
             None, None, cancelled, created, cancelled]
        )  # fmt: skip
    else:
        month.declarations.append(
            [None, ent_pk, v_pk, pools.drivers[v_pk], gate_pk, flow, direction, False, called, SYNTHETIC,
             Status.COMPLETED, "", "", "", None, "", submitted, approved, called, yard_in, crossed, completed,
             None, created, completed]
        )  # fmt: skip
        matched = MatchedBy.QR if rnd.random() < 0.6 else MatchedBy.PLATE
        second = dt.timedelta(seconds=1)
        month.events.append(
            [
                gate_pk,
                yard_pk,
                EventKind.IN,
                yard_in,
                yard_in + second,
                plate,
                key,
                decl_no,
                matched,
                "in_yard",
                "",
            ]
        )
        month.events.append(
            [
                gate_pk,
                None,
                EventKind.OUT,
                crossed,
                crossed + second,
                plate,
                key,
                decl_no,
                matched,
                "crossed",
                "",
            ]
        )
    total_value = 0
    kg_left = int(tonnes * 1000)
    for line_no in range(1, n_lines + 1):
        gross = kg_left if line_no == n_lines else int(kg_left * rnd.uniform(0.3, 0.6))
        kg_left -= gross
        net = Decimal(gross * 96 // 100)
        value = (net * Decimal(str(round(usd_kg * rate * rnd.uniform(0.8, 1.25), 4)))).quantize(
            Decimal("0.01")
        )
        value_vnd = int(value * APPROX_VND[currency])
        total_value += value_vnd
        suffix = "" if n_lines == 1 else f" (lô {line_no})"
        month.lines.append(
            [
                decl_no,
                line_no,
                hs,
                description + suffix,
                net,
                "kg",
                Decimal(gross),
                value,
                currency,
                value_vnd,
            ]
        )
    if month.declarations[-1][10] == Status.COMPLETED:
        month.charges.append(
            SyntheticCharge(
                source_id="",
                source_label=plate,
                gate_id=gate_pk,
                payer_unit_id=unit_pk,
                at=yard_in,
                flow=flow,
                goods_kind=goods_kind(hs),
                tonnes=tonnes,
                container=None,
                declared_value_vnd=total_value,
            )
        )
        month.charge_index.append(decl_no)


def _write_month(month: _Month, quoter) -> None:
    from dataclasses import replace

    from cuakhau.fees.generate import assessments_bulk

    ids = reserve_ids(Declaration, len(month.declarations))
    charges = [
        replace(c, source_id=str(ids[i]), source_label=f"Tờ khai TK{ids[i]:06d}, xe {c.source_label}")
        for c, i in zip(month.charges, month.charge_index, strict=True)
    ]
    fee_ids = assessments_bulk(charges, quoter)
    for i, fee_id in zip(month.charge_index, fee_ids, strict=True):
        month.declarations[i][14] = fee_id
    for row, pk in zip(month.declarations, ids, strict=True):
        row[0] = pk
    bulk_write(Declaration, DECLARATION_COLUMNS, (tuple(r) for r in month.declarations))
    bulk_write(GoodsLine, LINE_COLUMNS, ((ids[r[0]], *r[1:]) for r in month.lines))
    bulk_write(GateEvent, EVENT_COLUMNS, ((*r[:7], ids[r[7]], *r[8:]) for r in month.events))


def generate_trips(*, start: dt.date, end: dt.date, vehicles_per_day: int, seed: int = 7, stdout=None) -> str:
    """The traffic generator (registered in core.loaders): trips per gate and day from `start` to
    `end`, with their goods lines, gate events and fee assessments. See the module's docstring."""
    from cuakhau.fees.generate import Quoter
    from cuakhau.gates.models import Gate

    tz = timezone.get_current_timezone()
    window = (
        dt.datetime.combine(start, dt.time.min, tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz),
    )
    if Declaration.objects.filter(
        note=SYNTHETIC, created_at__gte=window[0], created_at__lt=window[1]
    ).exists():
        return "kept: synthetic trips already written for this range"
    rnd = random.Random(seed)
    gates = list(Gate.objects.filter(is_active=True).order_by("sort_order", "code"))
    volumes = gate_volumes(gates)
    weight_sum = sum(v for v, _s in volumes.values())
    yards = {}
    for yard in Yard.objects.filter(is_active=True, is_border_yard=True).order_by("pk"):
        yards.setdefault(yard.gate_id, yard.pk)
    with batch():  # parties' services join one transaction
        pools = ensure_pools(vehicles_per_day=vehicles_per_day, rnd=rnd)
    quoter = Quoter()
    middle = (start.year + end.year) / 2  # growth centred on the range: it averages vehicles_per_day
    trips = lines = 0
    began = time.monotonic()
    for year in range(start.year, end.year + 1):
        tet = lunar_new_year(year)
        days = [
            dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(366 if calendar.isleap(year) else 365)
        ]
        raw = {}
        for day in days:
            f, h = day_factor(day, tet), harvest_factor(day)
            raw[day] = (f, h)
        # Scale the year so that it averages vehicles_per_day (times its growth).
        mean = sum(f * sum(v * (s * h + 1 - s) for v, s in volumes.values()) for f, h in raw.values()) / len(
            days
        )
        scale = vehicles_per_day * GROWTH ** (year - middle) * weight_sum / mean
        for month_no in range(1, 13):
            month = _Month()
            for day in days:
                if day.month != month_no or not start <= day <= end:
                    continue
                f, h = raw[day]
                fruit = fruit_weights(day)
                for gate in gates:
                    volume, share = volumes[gate.pk]
                    for export, expected in (
                        (True, scale * f * volume / weight_sum * share * h),
                        (False, scale * f * volume / weight_sum * (1 - share)),
                    ):
                        n = max(0, round(rnd.gauss(expected, math.sqrt(expected) * 0.5)))
                        for _ in range(n):
                            _trip(
                                month,
                                rnd=rnd,
                                pools=pools,
                                gate_pk=gate.pk,
                                yard_pk=yards.get(gate.pk),
                                export=export,
                                day=day,
                                fruit=fruit,
                                tz=tz,
                            )
            if not month.declarations:
                continue
            with transaction.atomic():
                _write_month(month, quoter)
            trips += len(month.declarations)
            lines += len(month.lines)
            if stdout is not None:
                elapsed = time.monotonic() - began
                stdout.write(
                    f"  traffic {month_no:02d}/{year}: {len(month.declarations)} trips "
                    f"({trips} in all, {trips / max(elapsed, 1e-9):.0f} trips/s)"
                )
    from cuakhau.fees.models import FeeAssessment

    analyze(Declaration, GoodsLine, GateEvent, FeeAssessment)
    summary = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "vehicles_per_day": vehicles_per_day,
        "seed": seed,
        "declarations": trips,
        "goods_lines": lines,
        "enterprises": len(pools.enterprises),
        "vehicles": sum(len(v) for v in pools.vehicles.values()),
        "note": "synthetic data written in bulk, without the per-row services",
    }
    with transaction.atomic():
        audit_record(
            actor=None,  # the system: the generator writes in bulk, not on anyone's behalf
            action="traffic.trips.generate",
            object_type="traffic.declaration",
            object_id=start.isoformat(),
            after=summary,
        )
    return f"{trips} trips with {lines} goods lines, their gate events and fee assessments"

"""Synthetic trips for `cuakhau demo generate` (benchmarks and load tests, never production data).

SYNTHETIC DATA ONLY. This generator bypasses the per-row services (declaration_submit, approve, call
forward, the device gate events, fee_assess) and writes with bulk inserts (COPY on PostgreSQL,
bulk_create elsewhere): ten years at 2,000 vehicles a day are 7.3 million trips, which the services
would take days to write. What it writes is what those services would have left behind for trips that
are over:

* declarations in final states only (completed, or cancelled before arrival: about 1.5%), each with
  1-3 goods lines (HS code, quantity, weight, declared value in USD, CNY or VND) and its timestamps
  (submitted, approved, called, in the yard, crossed, completed); so no vehicle ever holds more than one
  active declaration, and no queue number is taken;
* two gate events per trip that crossed (into the gate's border yard, out across the border line),
  matched by QR code or plate;
* the fee assessment of each trip at gate-in, written by the fees app (`fees.generate.assessments_bulk`,
  traffic calls fees as the gate-in does); the fees generator then receipts them;
* one audit event per run summarising what it wrote (instead of one per row).

Volumes: each gate's share is its published vehicles a day (`Gate.daily_vehicles`, from
border_gates.csv; the notes' figures where the column is empty), its export share likewise; the days
follow weekends (Saturday 90%, Sunday 70%), Tết (the gates all but close for the first days of the
lunar year, with a rush in the ten days before it) and the fruit harvests, which lift exports and
decide which fruit is loaded (mango March-June, lychee late May-July, longan July-September, durian
May-September, dragon fruit all year with peaks in summer and before Tết), with 4% growth a year.
Each year's days are scaled so that the year averages `vehicles_per_day` (times its growth).
Deterministic for a seed. Trips are marked `[synthetic]` in their note; a range that already has
synthetic trips is not written twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
import re
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cuakhau.core.audit import audit_record
from cuakhau.core.loaders import analyze, bulk_write, reserve_ids
from cuakhau.core.workcal.lunar import lunar_new_year

from .models import (
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

SYNTHETIC = "[synthetic]"
GROWTH = 1.04
# (HS code, description, unit, USD per kg): what crosses at Lạng Sơn.
FRUIT = {
    "mango": ("08045020", "Xoài tươi", 0.9),
    "lychee": ("08109020", "Vải tươi", 1.6),
    "longan": ("08109010", "Nhãn tươi", 1.3),
    "durian": ("08106000", "Sầu riêng tươi", 3.2),
    "dragon": ("08109092", "Thanh long tươi", 0.8),
    "jackfruit": ("08109030", "Mít tươi", 0.7),
}
# (month peak, width in months, weight): the fruit's harvest as a bump over the year.
SEASONS = {
    "mango": [(4.5, 1.0, 1.0)],
    "lychee": [(6.3, 0.5, 2.2)],
    "longan": [(8.0, 0.8, 1.6)],
    "durian": [(7.0, 1.3, 1.8)],
    "dragon": [(7.0, 1.5, 0.8), (12.5, 1.0, 1.0), (0.5, 1.0, 1.0)],
    "jackfruit": [(6.5, 3.0, 0.4)],
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
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hoàng", "Vi", "Lương", "Nông", "Hà", "Lăng", "Vy"]
MIDDLE = ["Văn", "Đức", "Minh", "Thị", "Quang", "Hữu", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Phong", "Quân", "Sơn", "Tuấn", "Việt"]
CN_NAMES = ["李伟", "王强", "张磊", "刘洋", "陈军", "杨勇", "黄涛", "赵斌", "周杰", "吴刚", "韦东", "农海"]
TRADES = ["Thương mại", "Xuất nhập khẩu", "Nông sản", "Logistics", "Vận tải", "Đầu tư và Thương mại"]
PLACES = ["Đồng Đăng", "Kỳ Lừa", "Hữu Nghị", "Tân Thanh", "Chi Lăng", "Cao Lộc", "Xứ Lạng", "Mẫu Sơn"]

_VEHICLES_RE = re.compile(r"(\d[\d,]*) vehicles/day")
_BEFORE_RE = re.compile(r"\((\d+) before\)")
_WAGONS_RE = re.compile(r"about (\d+) export and (\d+)(?:-(\d+))? import")
_SPLIT_RE = re.compile(r"\((\d+) export / (\d+) import\)")


def gate_volumes(gates) -> dict[int, tuple[float, float]]:
    """{gate pk: (vehicles a day, export share)} from the gates' published figures."""
    out = {}
    for gate in gates:
        notes = gate.notes or ""
        volume, share = gate.daily_vehicles, 0.4
        if split := _SPLIT_RE.search(notes):
            e, i = int(split.group(1)), int(split.group(2))
            share = e / (e + i)
        if volume is None and (before := _BEFORE_RE.search(notes)):
            volume = int(before.group(1))
        if volume is None and (wagons := _WAGONS_RE.search(notes)):
            e, i = int(wagons.group(1)), int(wagons.group(3) or wagons.group(2))
            volume, share = e + i, e / (e + i)
        out[gate.pk] = (float(volume or 10), share)
    return out


def _bump(month: float, peak: float, width: float) -> float:
    d = min(abs(month - peak), 12 - abs(month - peak))
    return math.exp(-0.5 * (d / width) ** 2)


def fruit_weights(day: dt.date) -> dict[str, float]:
    """How much of each fruit is being harvested on `day` (0 = none, ~2 = peak)."""
    m = day.month - 1 + (day.day - 0.5) / calendar.monthrange(day.year, day.month)[1]
    return {name: sum(w * _bump(m, p, width) for p, width, w in bumps) for name, bumps in SEASONS.items()}


def day_factor(day: dt.date, tet: dt.date) -> float:
    """The day's traffic against an ordinary weekday: weekends and Tết."""
    f = (1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.7)[day.weekday()]
    offset = (day - tet).days
    if 0 <= offset <= 3:
        f *= 0.05  # the first days of the lunar year: the gates all but close
    elif -2 <= offset <= -1 or 4 <= offset <= 6:
        f *= 0.4
    elif -10 <= offset <= -3:
        f *= 1.15  # goods hurried across before Tết
    return f


def harvest_factor(day: dt.date) -> float:
    """Exports rise with the fruit harvests (1.0 at the quietest time of the year)."""
    return 1.0 + 0.25 * sum(fruit_weights(day).values())


@dataclass
class Pools:
    enterprises: list[tuple[int, int, str]]  # (enterprise pk, unit pk, name)
    vehicles: dict[str, list[tuple[int, str, str]]]  # country -> [(pk, plate, plate_key)]
    drivers: dict[int, int]  # vehicle pk -> driver pk


def _tax_codes(n: int) -> list[str]:
    """`n` valid tax codes 491xxxxxxc (a base whose check digit would be 10 has no valid code)."""
    from stdnum.vn import mst

    codes, i = [], 0
    while len(codes) < n:
        i += 1
        base = f"491{i:06d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            codes.append(base + check)
    return codes


def ensure_pools(*, vehicles_per_day: int, rnd: random.Random) -> Pools:
    """Synthetic enterprises (through the parties service, so each has its unit), trucks and drivers
    (in bulk), reused by later runs."""
    from cuakhau.parties.models import Driver, Enterprise, Vehicle
    from cuakhau.parties.plates import parse_plate
    from cuakhau.parties.services import enterprise_register

    n_enterprises = max(12, min(400, vehicles_per_day // 8))
    existing = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__startswith="491")}
    enterprises = []
    for i, code in enumerate(_tax_codes(n_enterprises), start=1):
        e = existing.get(code)
        if e is None:
            name = f"Công ty TNHH {TRADES[i % len(TRADES)]} {PLACES[i % len(PLACES)]} {i:03d} {SYNTHETIC}"
            e = enterprise_register(tax_code=code, name=name, address="Lạng Sơn (dữ liệu giả lập)")
        enterprises.append((e.pk, e.unit_id, e.name))

    n_vehicles = max(60, vehicles_per_day * 2)
    wanted = []
    for i in range(n_vehicles):
        if i % 10 < 7:  # Vietnamese trucks, Lạng Sơn and other provinces
            province = ("12", "12", "12", "29", "14", "98", "20", "15")[i % 8]
            series = "CDH"[i % 3]
            n = 10000 + i
            wanted.append(("VN", f"{province}{series}-{n // 100:03d}.{n % 100:02d}"))
        else:  # Guangxi trucks
            letter = "FPAKB"[i % 5]
            wanted.append(("CN", f"桂{letter}·{10000 + i:05d}"))
    plates = {parse_plate(p).key: (c, parse_plate(p).display) for c, p in wanted}
    have = set(Vehicle.objects.filter(plate_key__in=list(plates)).values_list("plate_key", flat=True))
    new = []
    for key, (country, display) in plates.items():
        if key not in have:
            owner = enterprises[rnd.randrange(len(enterprises))][0]
            new.append(
                Vehicle(
                    plate=display,
                    plate_key=key,
                    country=country,
                    kind="truck",
                    tonnage=Decimal(rnd.choice((15, 20, 25, 30, 34))),
                    owner_id=owner,
                )
            )
    Vehicle.objects.bulk_create(new, batch_size=2000)
    vehicles: dict[str, list] = {"VN": [], "CN": []}
    owners = {}
    for pk, plate, key, country, owner in Vehicle.objects.filter(plate_key__in=list(plates)).values_list(
        "pk", "plate", "plate_key", "country", "owner_id"
    ):
        vehicles[country].append((pk, plate, key))
        owners[pk] = owner
    drivers = dict(Driver.objects.filter(id_number__startswith="SYN").values_list("id_number", "pk"))
    new_drivers = []
    for country, items in vehicles.items():
        for pk, _plate, _key in items:
            number = f"SYN{pk:09d}"
            if number not in drivers:
                if country == "VN":
                    name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
                    kind, nationality = "cccd", "VN"
                else:
                    name, kind, nationality = rnd.choice(CN_NAMES), "cn_id", "CN"
                new_drivers.append(
                    Driver(
                        full_name=name,
                        id_kind=kind,
                        id_number=number,
                        nationality=nationality,
                        employer_id=owners.get(pk),
                    )
                )
    Driver.objects.bulk_create(new_drivers, batch_size=2000)
    by_number = dict(Driver.objects.filter(id_number__startswith="SYN").values_list("id_number", "pk"))
    return Pools(
        enterprises=enterprises,
        vehicles={k: sorted(v) for k, v in vehicles.items()},
        drivers={pk: by_number[f"SYN{pk:09d}"] for items in vehicles.values() for pk, _p, _k in items},
    )


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
    with transaction.atomic():
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
            action="traffic.generate",
            object_type="traffic.declaration",
            object_id=start.isoformat(),
            after=summary,
        )
    return f"{trips} trips with {lines} goods lines, their gate events and fee assessments"

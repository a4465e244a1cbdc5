"""Synthetic customs statistics shaped like the zone: months × gates × directions × goods flows × HS
chapters, gate volumes from border_gates.csv (vehicles a day, export/import split), the fruit harvest
(chapter 08 exports peak from May to August), Tết (January/February dip) and slow growth. Deterministic
for a seed. Used by the demo data, `cuakhau demo generate` and bench/trade.py."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

# gate code: (vehicles a day, export share), from border_gates.csv (mid-2025 figures; the rail station
# counted in wagons, the 1119-1120 road at its pre-expansion 800 a day, the secondary gates small).
GATES = {
    "HUUNGHI": (870, Decimal("0.30")),
    "ROUTE_1119_1120": (800, Decimal("0.35")),
    "TANTHANH": (583, Decimal("0.25")),
    "CHIMA": (230, Decimal("0.18")),
    "COCNAM": (76, Decimal("0.57")),
    "DONGDANG_RAIL": (60, Decimal("0.43")),
    "BINHNGHI": (15, Decimal("0.40")),
    "NAHINH": (10, Decimal("0.40")),
    "NANUA": (10, Decimal("0.40")),
}
FLOWS = {
    "export": Decimal("0.80"),
    "temp_import_reexport": Decimal("0.10"),
    "transshipment": Decimal("0.05"),
    "bonded": Decimal("0.05"),
}
FLOWS_IMPORT = {
    "import": Decimal("0.85"),
    "temp_import_reexport": Decimal("0.08"),
    "transshipment": Decimal("0.04"),
    "bonded": Decimal("0.03"),
}
# HS chapters and their weight: exports are fruit, vegetables, cassava, rubber, wood; imports machinery,
# electronics, fertiliser, steel, plastics, textiles, fruit.
EXPORT_CHAPTERS = {"08": 40, "07": 12, "11": 8, "40": 7, "44": 6, "03": 5, "85": 8, "84": 6, "61": 4, "09": 4}
IMPORT_CHAPTERS = {"84": 25, "85": 25, "31": 8, "72": 8, "39": 7, "52": 5, "08": 6, "87": 6, "73": 5, "29": 5}
USD_PER_VEHICLE = Decimal(7500)
SOURCE = "Số liệu minh họa (demo): phân bổ theo lưu lượng xe của border_gates.csv"


def season(month: int, chapter: str, direction: str) -> Decimal:
    factor = Decimal(1)
    if month == 2:
        factor *= Decimal("0.65")  # Tết, most years
    elif month == 1:
        factor *= Decimal("0.9")
    if direction == "export" and chapter == "08" and 5 <= month <= 8:
        factor *= Decimal("1.8")  # lychee, longan, durian, dragon fruit
    return factor


def all_chapters(n: int) -> dict[str, int]:
    """`n` chapters (for large files): the weighted ones, then the rest of 01-97 with weight 1."""
    chapters = dict(EXPORT_CHAPTERS) | {k: v for k, v in IMPORT_CHAPTERS.items()}
    for c in range(1, 98):
        if len(chapters) >= n:
            break
        chapters.setdefault(f"{c:02d}", 1)
    return dict(list(chapters.items())[:n])


def rows(
    *,
    first_year: int,
    years: int,
    vehicles_per_day: int = 2000,
    chapters: int = 10,
    flows: bool = True,
    seed: int = 7,
) -> Iterator[tuple[str, str, str, str, str, Decimal]]:
    """(period YYYY-MM, gate, direction, flow, hs_chapter, value in USD) rows."""
    rnd = random.Random(seed)
    total_vehicles = sum(v for v, _ in GATES.values())
    scale = Decimal(vehicles_per_day) / total_vehicles
    for year in range(first_year, first_year + years):
        trend = Decimal("1.06") ** (year - first_year)
        for month in range(1, 13):
            days = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.date(year, month, 1)).days
            for gate, (vehicles, export_share) in GATES.items():
                month_value = vehicles * scale * days * USD_PER_VEHICLE * trend
                for direction, share in (("export", export_share), ("import", 1 - export_share)):
                    weights = EXPORT_CHAPTERS if direction == "export" else IMPORT_CHAPTERS
                    chosen = weights if chapters <= len(weights) else all_chapters(chapters)
                    items = list(chosen.items())[:chapters]
                    weight_sum = sum(w for _, w in items)
                    flow_shares = (
                        (FLOWS if direction == "export" else FLOWS_IMPORT) if flows else {"": Decimal(1)}
                    )
                    for flow, flow_share in flow_shares.items():
                        for chapter, weight in items:
                            noise = Decimal(rnd.randint(85, 115)) / 100
                            value = month_value * share * flow_share * weight / weight_sum
                            value *= season(month, chapter, direction) * noise
                            yield (
                                f"{year:04d}-{month:02d}",
                                gate,
                                direction,
                                flow,
                                chapter,
                                value.quantize(Decimal(1)),
                            )


def write_csv(path, items) -> int:
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["period", "gate", "direction", "flow", "hs_chapter", "value", "unit"])
        for period, gate, direction, flow, chapter, value in items:
            writer.writerow([period, gate, direction, flow, chapter, value, "usd"])
            count += 1
    return count


# Central rates used where the rate table has none for a month of the synthetic years (approximate
# yearly levels of the State Bank's central rate: đồng per USD, per CNY).
APPROX_RATES = {
    2014: (21_250, 3_450), 2015: (21_900, 3_480), 2016: (21_950, 3_310), 2017: (22_400, 3_320),
    2018: (22_700, 3_430), 2019: (23_050, 3_340), 2020: (23_150, 3_360), 2021: (23_150, 3_580),
    2022: (23_300, 3_460), 2023: (23_800, 3_370), 2024: (24_100, 3_350), 2025: (24_900, 3_420),
}  # fmt: skip


def ensure_rates(start: dt.date, end: dt.date) -> int:
    """A USD and a CNY rate on the first of each month from `start` to `end` where the table has no
    rate that month (source: "tỷ giá minh họa"), so that the synthetic declared values convert.
    Through `rate_set`, so each is audited."""
    from .models import ExchangeRate
    from .services import rate_set

    have = {(d.year, d.month, c) for d, c in ExchangeRate.objects.values_list("day", "currency")}
    made = 0
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        level = APPROX_RATES.get(y) or APPROX_RATES[min(APPROX_RATES, key=lambda k: abs(k - y))]
        for currency, value in zip(("USD", "CNY"), level, strict=True):
            if (y, m, currency) not in have:
                rate_set(
                    actor=None,
                    day=dt.date(y, m, 1),
                    currency=currency,
                    vnd_per_unit=value,
                    source="Tỷ giá minh họa (giả lập)",
                )
                made += 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return made


def generate_customs_statistics(
    *, start: dt.date, end: dt.date, vehicles_per_day: int, seed: int = 7, stdout=None
) -> str:
    """The trade generator (registered in core.loaders, after traffic and fees): month statistics by
    gate, direction, flow and chapter into the series 'synthetic_customs' (never into a published
    series), monthly central rates where the table has none, and the turnover computed from the
    declarations the traffic generator wrote (source (a)), refreshed year by year. Through the
    services (stats_import, rate_set, computed_refresh), so the rollups are rebuilt and each step
    is audited."""
    import tempfile
    import time

    from .models import SeriesKind
    from .parsing import MACHINE
    from .services import computed_refresh, series_ensure, stats_import

    series = series_ensure(
        actor=None,
        code="synthetic_customs",
        name="Số liệu hải quan giả lập (demo, đo hiệu năng)",
        kind=SeriesKind.TURNOVER,
        description=SOURCE,
        sort_order=900,
    )
    with tempfile.NamedTemporaryFile(suffix=".csv") as tmp:
        count = write_csv(
            tmp.name,
            rows(
                first_year=start.year,
                years=end.year - start.year + 1,
                vehicles_per_day=vehicles_per_day,
                chapters=40,
                seed=seed,
            ),
        )
        # Written just above by write_csv, in machine form: code reading code's file.
        summary = stats_import(actor=None, series=series, path=tmp.name, name="synthetic.csv", lang=MACHINE)
    if stdout is not None:
        stdout.write(f"  trade: {count} customs-statistics rows in {summary['months']} months")
    rates = ensure_rates(start, end)
    lines = 0
    for year in range(start.year, end.year + 1):
        began = time.monotonic()
        done = computed_refresh(
            actor=None, start=max(start, dt.date(year, 1, 1)), end=min(end, dt.date(year, 12, 31))
        )
        lines += done["lines"]
        if stdout is not None:
            stdout.write(
                f"  trade {year}: computed turnover from {done['lines']} goods lines "
                f"({done['groups']} groups, {done['unconverted']} without a rate, {time.monotonic() - began:.1f}s)"
            )
    return (
        f"{count} customs-statistics rows in {summary['months']} months, {rates} synthetic rates, "
        f"computed turnover from {lines} goods lines"
    )

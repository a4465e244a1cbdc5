"""Demo data for trade: a few central rates, three years of month customs statistics by gate for the
series 'declared_at_langson_customs' (2023's months add up exactly to the published 2023 export and
import figures, 2,750 and 2,225 million USD), shaped by the gates' published volumes. The yearly
published figures themselves are reference data (turnover_series.csv). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .models import ExchangeRate, Granularity, Metric, Series, StatRow
from .parsing import ParsedRow, ParseResult
from .synthetic import SOURCE, rows

RATES = [
    # day, currency, đồng per unit (central rates as announced by the State Bank, rounded)
    (dt.date(2016, 12, 30), "USD", "22159"),
    (dt.date(2017, 12, 29), "USD", "22425"),
    (dt.date(2023, 1, 3), "USD", "23612"),
    (dt.date(2023, 1, 3), "CNY", "3412.50"),
    (dt.date(2024, 1, 2), "USD", "23904"),
    (dt.date(2024, 1, 2), "CNY", "3336.80"),
    (dt.date(2025, 1, 2), "USD", "24335"),
    (dt.date(2025, 1, 2), "CNY", "3325.60"),
]
# 2023 as published (danviet.vn 2024-02-06); 2022 as implied by 2023's published growth (2750 / 2.688,
# 2225 / 1.092), so that the months give back the published growth too.
TARGETS = {
    "2023": {"export": Decimal("2750000000"), "import": Decimal("2225000000")},
    "2022": {"export": Decimal("1023065476"), "import": Decimal("2037545788")},
}


def demo_rows(years=(2022, 2023, 2024)) -> list[ParsedRow]:
    items = list(
        rows(first_year=years[0], years=len(years), vehicles_per_day=1800, chapters=6, flows=False, seed=2023)
    )
    # Scale 2022 and 2023 so that their months add up to the target figures exactly.
    sums = {(y, d): Decimal(0) for y in TARGETS for d in ("export", "import")}
    for period, _g, direction, _f, _c, value in items:
        if period[:4] in TARGETS:
            sums[(period[:4], direction)] += value
    out: list[ParsedRow] = []
    last: dict[tuple, ParsedRow] = {}
    written = {key: Decimal(0) for key in sums}
    for line, (period, gate, direction, flow, chapter, value) in enumerate(items, start=2):
        key = (period[:4], direction)
        if key in sums:
            value = (value * TARGETS[key[0]][direction] / sums[key]).quantize(Decimal(1))
            written[key] += value
        year, month = int(period[:4]), int(period[5:])
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        row = ParsedRow(
            line=line,
            metric=Metric.TURNOVER_EXPORT if direction == "export" else Metric.TURNOVER_IMPORT,
            granularity=Granularity.MONTH,
            period_start=dt.date(year, month, 1),
            period_end=end,
            gate_code=gate,
            flow=flow,
            hs_chapter=chapter,
            value=value,
            unit="usd",
            amount=value,
            yoy_percent=None,
            derived=False,
            source=SOURCE,
        )
        out.append(row)
        if key in sums:
            last[key] = row
    for key, row in last.items():  # the rounding remainder
        row.value += TARGETS[key[0]][key[1]] - written[key]
        row.amount = row.value
    return out


def load_demo(stdout=None) -> str:
    from .services import commit_parsed, rate_set

    made = 0
    for day, currency, value in RATES:
        if not ExchangeRate.objects.filter(day=day, currency=currency).exists():
            rate_set(
                actor=None,
                day=day,
                currency=currency,
                vnd_per_unit=Decimal(value),
                source="Tỷ giá trung tâm (demo)",
            )
            made += 1
    series = Series.objects.filter(code="declared_at_langson_customs").first()
    months = 0
    if (
        series is not None
        and not StatRow.objects.filter(series=series, granularity=Granularity.MONTH).exists()
    ):
        result = ParseResult(rows=demo_rows())
        months = commit_parsed(actor=None, series=series, result=result, name="demo-customs-2022-2024.csv")[
            "months"
        ]
    computed = _computed_turnover()
    return f"{made} exchange rates, {months} months of customs statistics, {computed}"


def _computed_turnover() -> str:
    """The turnover computed from the demo trips that crossed (traffic's demo ran before this one), at
    once rather than when the worker gets to the refresh their crossings enqueued: `/trade/computed/`
    has figures as soon as `make run` serves. Skipped once computed rows exist."""
    from django.apps import apps

    from .models import ComputedTurnover
    from .services import computed_refresh

    if not apps.is_installed("cuakhau.traffic") or ComputedTurnover.objects.exists():
        return "computed turnover kept"
    from cuakhau.traffic.selectors import crossing_span

    span = crossing_span()
    if span is None:
        return "no crossed trips to compute turnover from"
    summary = computed_refresh(actor=None, start=span[0], end=span[1])
    return f"computed turnover from {summary['lines']} goods lines"

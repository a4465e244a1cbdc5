"""Statistics queries on the imported series (source (b)): month rows added up through the rollups
(the naive sum over the raw rows gives the same figures and serves filter combinations that no rollup
grouping fits), a page's summary and tables from one rollup query per period, and the year pages
open on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.http import Http404

from ..models import ALL, Granularity, Series, StatRollup, StatRow
from ..periods import Period
from ..rollups import GROUPINGS, KEYS
from .growth import summary_lines
from .tables import (
    DIMENSIONS,
    EXPORT,
    IMPORT,
    KEY_FIELD,
    NO_FILTERS,
    ZERO,
    Filters,
    Table,
    Totals,
    build_table,
)

if TYPE_CHECKING:
    from cuakhau.core.models import User


def series_list(*, user: User | None) -> QuerySet[Series]:
    return Series.objects.for_user(user)


def series_get(*, user: User | None, code: str) -> Series:
    series: Series | None = Series.objects.for_user(user).filter(code=code).first()
    if series is None:
        raise Http404
    return series


def _use_rollup(filters: Filters, by: str | None) -> bool:
    needed = filters.keys()
    if by in KEY_FIELD:
        needed = needed | {KEY_FIELD[by]}
    return tuple(k for k in ("gate_code", "flow", "hs_chapter") if k in needed) in GROUPINGS


def amounts(
    *,
    series: Series,
    period: Period,
    filters: Filters = NO_FILTERS,
    by: str | None = None,
    naive: bool = False,
) -> dict[str, dict[str, Decimal]]:
    """{key: {metric: amount}} for the month rows of a series in a period. `by` is a dimension (gate,
    flow, hs, month, direction) or None (key ''). `naive` sums the raw rows instead of the rollups."""
    group = []
    if naive or not _use_rollup(filters, by):
        qs: QuerySet[Any] = StatRow.objects.filter(
            series=series,
            granularity=Granularity.MONTH,
            period_start__gte=period.start,
            period_start__lte=period.end,
        )
        for name in ("gate", "flow", "hs"):
            if getattr(filters, name):
                qs = qs.filter(**{KEY_FIELD[name]: getattr(filters, name)})
        if by in KEY_FIELD:
            group.append(KEY_FIELD[by])
        elif by == "month":
            group.append("period_start")
    else:
        keys = {k: (getattr(filters, name) or (None if by == name else ALL)) for name, k in KEY_FIELD.items()}
        qs = StatRollup.objects.filter(series=series, month__gte=period.start, month__lte=period.end)
        for k, value in keys.items():
            qs = qs.exclude(**{k: ALL}) if value is None else qs.filter(**{k: value})
        if by in KEY_FIELD:
            group.append(KEY_FIELD[by])
        elif by == "month":
            group.append("month")
    result: dict[str, dict[str, Decimal]] = {}
    for item in qs.values(*group, "metric").annotate(s=Sum("amount")).order_by():
        key = item[group[0]] if group else ""
        if isinstance(key, dt.date):
            key = key.strftime("%Y-%m")
        bucket = result.setdefault(key if by != "direction" else item["metric"], {})
        bucket[item["metric"]] = bucket.get(item["metric"], ZERO) + Decimal(item["s"] or 0)
    return result


def months_with_data(*, series: Series, period: Period) -> int:
    return (
        StatRollup.objects.filter(
            series=series,
            month__gte=period.start,
            month__lte=period.end,
            gate_code=ALL,
            flow=ALL,
            hs_chapter=ALL,
        )
        .values("month")
        .distinct()
        .count()
    )


def totals(*, series: Series, period: Period, filters: Filters = NO_FILTERS, naive: bool = False) -> Totals:
    if not naive:
        return period_amounts(series=series, period=period, filters=filters, bys=()).totals()
    data = amounts(series=series, period=period, filters=filters, naive=naive).get("", {})
    return Totals(
        export=data.get(EXPORT, ZERO),
        import_=data.get(IMPORT, ZERO),
        months_with_data=months_with_data(series=series, period=period),
    )


# --- a page's figures from one rollup query per period ------------------------------------------------


def _rollup_spec(filters: Filters, by: str | None) -> tuple | None:
    """The (gate_code, flow, hs_chapter) pattern of the rollup rows a table adds up: a value, ALL, or
    None for "every value but ALL"; None when no rollup grouping fits the filters (the raw rows then)."""
    if not _use_rollup(filters, by):
        return None
    return tuple(getattr(filters, name) or (None if by == name else ALL) for name in ("gate", "flow", "hs"))


def _spec_q(spec: tuple) -> Q:
    q = Q()
    for column, value in zip(KEYS, spec, strict=True):
        q &= ~Q(**{column: ALL}) if value is None else Q(**{column: value})
    return q


def _spec_matches(spec: tuple, values: tuple) -> bool:
    return all((v != ALL) if want is None else (v == want) for want, v in zip(spec, values, strict=True))


_UNFILTERED = (ALL, ALL, ALL)


@dataclass
class PeriodAmounts:
    """A period's turnover of a series: `by[dimension]` is {key: {metric: amount}} as `amounts` gives
    it ('' for the totals); `months_with_data` counts the months with any turnover in the series."""

    period: Period
    months_with_data: int
    by: dict[str | None, dict[str, dict[str, Decimal]]]

    def totals(self) -> Totals:
        data = self.by[None].get("", {})
        return Totals(
            export=data.get(EXPORT, ZERO),
            import_=data.get(IMPORT, ZERO),
            months_with_data=self.months_with_data,
        )


def period_amounts(
    *, series: Series, period: Period, filters: Filters = NO_FILTERS, bys: Iterable[str] = DIMENSIONS
) -> PeriodAmounts:
    """The totals, the months with data and the tables `bys` of a period, from one query on the
    rollups: each table's grouping is a pattern of the rollup keys, the query reads the rows of every
    pattern at once (only the totals' pattern and the unfiltered one by month, for the month table and
    the count of months), and each row is added to the tables whose pattern it matches. A table whose
    filters no rollup grouping fits is added up from the raw rows (`amounts(naive=True)`)."""
    base = _rollup_spec(filters, None)
    specs: dict[str, tuple] = {}
    result: dict[str | None, dict[str, dict[str, Decimal]]] = {None: {}}
    for by in bys:
        if by not in DIMENSIONS:
            raise ValueError(by)
        spec = base if by in ("month", "direction") else _rollup_spec(filters, by)
        result[by] = {}
        if spec is None:
            result[by] = amounts(series=series, period=period, filters=filters, by=by, naive=True)
        else:
            specs[by] = spec
    by_month = [s for s in (base, _UNFILTERED) if s is not None]
    where = Q()
    for spec in {*specs.values(), *by_month}:
        where |= _spec_q(spec)
    month_q = Q()
    for spec in by_month:
        month_q |= _spec_q(spec)
    qs = (
        StatRollup.objects.filter(
            where,
            series=series,
            metric__in=[EXPORT, IMPORT],
            month__gte=period.start,
            month__lte=period.end,
        )
        .annotate(m=Case(When(month_q, then=F("month")), default=None))
        .values("gate_code", "flow", "hs_chapter", "m", "metric")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    months = set()
    totals: dict[str, Decimal] = {}
    for item in qs:
        values = (item["gate_code"], item["flow"], item["hs_chapter"])
        metric, amount, month = item["metric"], Decimal(item["s"] or 0), item["m"]
        if month is not None and values == _UNFILTERED:
            months.add(month)
        if base is not None and _spec_matches(base, values):
            totals[metric] = totals.get(metric, ZERO) + amount
        for by, spec in specs.items():
            if not _spec_matches(spec, values):
                continue
            if by == "month":
                key = month.strftime("%Y-%m")
            elif by == "direction":
                key = metric
            else:
                key = values[KEYS.index(KEY_FIELD[by])]
            bucket = result[by].setdefault(key, {})
            bucket[metric] = bucket.get(metric, ZERO) + amount
    if base is None:  # no grouping fits the filters: the totals from the raw rows
        result[None] = amounts(series=series, period=period, filters=filters, naive=True)
    elif totals:
        result[None] = {"": totals}
    return PeriodAmounts(period=period, months_with_data=len(months), by=result)


def summary(
    *,
    series: Series,
    period: Period,
    filters: Filters = NO_FILTERS,
    current: PeriodAmounts | None = None,
    last_year: PeriodAmounts | None = None,
) -> dict:
    """The period's totals beside the same period a year earlier and the period just before, with growth.
    A page that has read `current` and `last_year` for its tables passes them (no query again)."""
    current_totals = (
        current or period_amounts(series=series, period=period, filters=filters, bys=())
    ).totals()
    last_year = last_year or period_amounts(
        series=series, period=period.same_last_year(), filters=filters, bys=()
    )
    previous_period = period.previous()
    previous = (
        last_year
        if previous_period == last_year.period
        else period_amounts(series=series, period=previous_period, filters=filters, bys=())
    )
    return summary_lines(period, current_totals, last_year.totals(), previous.totals())


def table(
    *, series: Series, period: Period, by: str, filters: Filters = NO_FILTERS, naive: bool = False
) -> Table:
    """Rows by a dimension with export, import, total, share of the total and growth on the same
    period a year earlier (by month: each month against the same month a year earlier)."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    if naive:
        now = amounts(series=series, period=period, filters=filters, by=by, naive=True)
        before = amounts(series=series, period=period.same_last_year(), filters=filters, by=by, naive=True)
        return _table(by, now, before)
    current = period_amounts(series=series, period=period, filters=filters, bys=(by,))
    earlier = period_amounts(series=series, period=period.same_last_year(), filters=filters, bys=(by,))
    return _table(by, current.by[by], earlier.by[by])


@dataclass
class Statistics:
    """What the statistics page shows: the summary with growth and the tables by dimension."""

    summary: dict
    tables: dict[str, Table]


def statistics(
    *, series: Series, period: Period, filters: Filters = NO_FILTERS, bys: Iterable[str] = DIMENSIONS
) -> Statistics:
    """The summary and the tables `bys` of a period, from one rollup query for the period and one for
    the same period a year earlier (a third for the period just before, when that is another one).
    The page, its Excel exports and the API all read this."""
    current = period_amounts(series=series, period=period, filters=filters, bys=bys)
    last_year = period_amounts(series=series, period=period.same_last_year(), filters=filters, bys=bys)
    return Statistics(
        summary=summary(series=series, period=period, filters=filters, current=current, last_year=last_year),
        tables={by: _table(by, current.by[by], last_year.by[by]) for by in bys},
    )


def _table(by: str, current: dict, earlier: dict) -> Table:
    if by == "month":
        earlier = {f"{int(k[:4]) + 1:04d}{k[4:]}": v for k, v in earlier.items()}
    return build_table(by, current, earlier)


def latest_year(default: int) -> int:
    """The last year with month statistics in any series (the pages open on it): one backward read of
    the index (series, granularity, period_start) per series."""
    last_month = (
        StatRow.objects.filter(series=OuterRef("pk"), granularity=Granularity.MONTH)
        .order_by("-period_start")
        .values("period_start")[:1]
    )
    months = [
        m for m in Series.objects.annotate(last=Subquery(last_month)).values_list("last", flat=True) if m
    ]
    return max(months).year if months else default

"""Reads of trade statistics. Pages, the API, the Excel exports and the reports all take their figures
from here, so they agree.

Imported series (source (b)): month rows are added up through the rollups (the naive sum over raw
rows gives the same figures and is used when a filter combination has no rollup); quarter, year and
other-period rows are headline figures as published, shown apart and never added to month rows.
Computed turnover (source (a)) comes from ComputedTurnover and is never added to a series.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, When
from django.http import Http404
from django.utils.translation import gettext as _

from .models import ALL, ComputedTurnover, GoodsFlow, Granularity, Metric, Series, StatRollup, StatRow
from .periods import Period
from .permissions import computed_enterprise_filter, reads_series
from .rollups import GROUPINGS, KEYS

EXPORT, IMPORT = Metric.TURNOVER_EXPORT.value, Metric.TURNOVER_IMPORT.value
ZERO = Decimal(0)
DIMENSIONS = ("gate", "flow", "hs", "month", "direction")
COMPUTED_DIMENSIONS = (*DIMENSIONS, "enterprise")
_KEY_FIELD = {"gate": "gate_code", "flow": "flow", "hs": "hs_chapter"}


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Percent change, one decimal, halves away from zero: 5250 on 4130.6 -> 27.1. None without a base."""
    if current is None or previous is None or previous == 0:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Filters:
    gate: str = ""
    flow: str = ""
    hs: str = ""

    def keys(self) -> set[str]:
        return {_KEY_FIELD[name] for name in ("gate", "flow", "hs") if getattr(self, name)}


@dataclass
class Totals:
    export: Decimal = ZERO
    import_: Decimal = ZERO
    months_with_data: int = 0

    @property
    def total(self) -> Decimal:
        return self.export + self.import_


@dataclass
class TableRow:
    key: str
    label: str
    export: Decimal = ZERO
    import_: Decimal = ZERO
    previous_total: Decimal | None = None  # the same period a year earlier
    share: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.export + self.import_

    @property
    def growth(self) -> Decimal | None:
        return growth(self.total, self.previous_total) if self.previous_total else None


@dataclass
class Table:
    by: str
    rows: list[TableRow] = field(default_factory=list)

    @property
    def export(self) -> Decimal:
        return sum((r.export for r in self.rows), ZERO)

    @property
    def import_(self) -> Decimal:
        return sum((r.import_ for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.export + self.import_


# --- series ---------------------------------------------------------------------------------------


def series_list(*, user):
    return Series.objects.for_user(user)


def series_get(*, user, code: str) -> Series:
    series = Series.objects.for_user(user).filter(code=code).first()
    if series is None:
        raise Http404
    return series


def _use_rollup(filters: Filters, by: str | None) -> bool:
    needed = filters.keys()
    if by in _KEY_FIELD:
        needed = needed | {_KEY_FIELD[by]}
    return tuple(k for k in ("gate_code", "flow", "hs_chapter") if k in needed) in GROUPINGS


def amounts(
    *,
    series: Series,
    period: Period,
    filters: Filters = Filters(),
    by: str | None = None,
    naive: bool = False,
) -> dict[str, dict[str, Decimal]]:
    """{key: {metric: amount}} for the month rows of a series in a period. `by` is a dimension (gate,
    flow, hs, month, direction) or None (key ''). `naive` sums the raw rows instead of the rollups."""
    group = []
    if naive or not _use_rollup(filters, by):
        qs = StatRow.objects.filter(
            series=series,
            granularity=Granularity.MONTH,
            period_start__gte=period.start,
            period_start__lte=period.end,
        )
        for name in ("gate", "flow", "hs"):
            if getattr(filters, name):
                qs = qs.filter(**{_KEY_FIELD[name]: getattr(filters, name)})
        if by in _KEY_FIELD:
            group.append(_KEY_FIELD[by])
        elif by == "month":
            group.append("period_start")
    else:
        keys = {
            k: (getattr(filters, name) or (None if by == name else ALL)) for name, k in _KEY_FIELD.items()
        }
        qs = StatRollup.objects.filter(series=series, month__gte=period.start, month__lte=period.end)
        for k, value in keys.items():
            qs = qs.exclude(**{k: ALL}) if value is None else qs.filter(**{k: value})
        if by in _KEY_FIELD:
            group.append(_KEY_FIELD[by])
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


def totals(*, series: Series, period: Period, filters: Filters = Filters(), naive: bool = False) -> Totals:
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
    *, series: Series, period: Period, filters: Filters = Filters(), bys=DIMENSIONS
) -> PeriodAmounts:
    """The totals, the months with data and the tables `bys` of a period, from one query on the
    rollups: each table's grouping is a pattern of the rollup keys, the query reads the rows of every
    pattern at once (only the totals' pattern and the unfiltered one by month, for the month table and
    the count of months), and each row is added to the tables whose pattern it matches. A table whose
    filters no rollup grouping fits is added up from the raw rows (`amounts(naive=True)`)."""
    base = _rollup_spec(filters, None)
    specs: dict[str | None, tuple] = {}
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
                key = values[KEYS.index(_KEY_FIELD[by])]
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
    filters: Filters = Filters(),
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
    return _summary(period, current_totals, last_year.totals(), previous.totals())


def _summary(period: Period, current: Totals, last_year: Totals, previous: Totals) -> dict:
    lines = []
    for key, label in (
        ("export", _("Xuất khẩu")),
        ("import_", _("Nhập khẩu")),
        ("total", _("Tổng kim ngạch")),
    ):
        cur, ly, prev = getattr(current, key), getattr(last_year, key), getattr(previous, key)
        lines.append(
            {
                "key": key.rstrip("_"),
                "label": label,
                "current": cur,
                "same_period_last_year": ly if last_year.months_with_data else None,
                "previous_period": prev if previous.months_with_data else None,
                "growth_year": growth(cur, ly)
                if last_year.months_with_data and current.months_with_data
                else None,
                "growth_previous": growth(cur, prev)
                if previous.months_with_data and current.months_with_data
                else None,
            }
        )
    return {
        "period": period,
        "same_period_last_year": period.same_last_year(),
        "previous_period": period.previous(),
        "months": period.months,
        "months_with_data": current.months_with_data,
        "lines": lines,
    }


def labels(by: str, keys) -> dict[str, str]:
    if by == "gate":
        from cuakhau.gates.models import Gate

        names = dict(Gate.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
        return {k: names.get(k, k) if k else _("(không theo cửa khẩu)") for k in keys}
    if by == "flow":
        choices = dict(GoodsFlow.choices)
        return {k: str(choices.get(k, k)) if k else _("(không theo loại hình)") for k in keys}
    if by == "hs":
        return {k: _("Chương %(c)s") % {"c": k} if k else _("(không theo chương HS)") for k in keys}
    if by == "month":
        return {k: f"{k[5:7]}/{k[:4]}" for k in keys}
    if by == "direction":
        return {EXPORT: _("Xuất khẩu"), IMPORT: _("Nhập khẩu")}
    return {k: k for k in keys}


def table(
    *, series: Series, period: Period, by: str, filters: Filters = Filters(), naive: bool = False
) -> Table:
    """Rows by a dimension with export, import, total, share of the total and growth on the same
    period a year earlier (by month: each month against the same month a year earlier)."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    if naive:
        current = amounts(series=series, period=period, filters=filters, by=by, naive=True)
        earlier = amounts(series=series, period=period.same_last_year(), filters=filters, by=by, naive=True)
        return _table(by, current, earlier)
    current = period_amounts(series=series, period=period, filters=filters, bys=(by,))
    earlier = period_amounts(series=series, period=period.same_last_year(), filters=filters, bys=(by,))
    return _table(by, current.by[by], earlier.by[by])


@dataclass
class Statistics:
    """What the statistics page shows: the summary with growth and the tables by dimension."""

    summary: dict
    tables: dict[str, Table]


def statistics(*, series: Series, period: Period, filters: Filters = Filters(), bys=DIMENSIONS) -> Statistics:
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
    return _build_table(by, current, earlier)


def _build_table(by: str, current: dict, earlier: dict) -> Table:
    if by == "direction":
        current = {k: {k: v.get(k, ZERO)} for k, v in current.items()}
    keys = sorted(current)
    names = labels(by, keys)
    out = Table(by=by)
    for key in keys:
        data = current[key]
        before = earlier.get(key)
        out.rows.append(
            TableRow(
                key=key,
                label=names.get(key, key),
                export=data.get(EXPORT, ZERO),
                import_=data.get(IMPORT, ZERO),
                previous_total=(before.get(EXPORT, ZERO) + before.get(IMPORT, ZERO)) if before else None,
            )
        )
    if by != "month":
        out.rows.sort(key=lambda r: (-r.total, r.key))
    total = out.total
    for row in out.rows:
        row.share = (
            (row.total * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else None
        )
    return out


# --- headline figures as published ------------------------------------------------------------------


HEADLINE_GRANULARITIES = [g for g in Granularity.values if g != Granularity.MONTH]


def _series_ids() -> list[int]:
    return list(Series.objects.values_list("pk", flat=True))


def published(*, user, series: Series | None = None):
    """The headline figures (quarter, year and other-period rows), with `derived` and `source`."""
    # `granularity IN (...)` and the series' ids, not `<> 'month'`: the index (series, granularity,
    # period_start) then skips the month detail (a million rows at ten years) instead of reading it.
    qs = (
        StatRow.objects.for_user(user).filter(granularity__in=HEADLINE_GRANULARITIES).select_related("series")
    )
    qs = qs.filter(series=series) if series is not None else qs.filter(series_id__in=_series_ids())
    return qs.order_by("series__sort_order", "-period_start", "period_end", "metric")


@dataclass(frozen=True)
class Figure:
    """A figure for the reports: `amount` in base units (USD, đồng, count); `origin` says where it
    comes from: published, derived (computed from a published figure), or months (added up from the
    month statistics)."""

    series: str
    metric: str
    year: int
    amount: Decimal
    origin: str
    source: str = ""
    yoy_percent: Decimal | None = None


def annual_figure(series_code: str, metric: str, year: int) -> Figure | None:
    """A year's figure of a series (see `period_figure`)."""
    return period_figure(series_code, metric, Period.year(year))


_HEADLINE = {"year": Granularity.YEAR, "quarter": Granularity.QUARTER}


def period_figure(series_code: str, metric: str, period: Period) -> Figure | None:
    """A period's figure of a series: the published (or derived) headline for exactly that period if
    there is one (a year, a quarter, or another run of months); for total turnover, export plus
    import headlines; else the sum of the month statistics when every month of the period has them."""
    series = Series.objects.filter(code=series_code).first()
    if series is None:
        return None
    year = period.start.year
    rows = StatRow.objects.filter(
        series=series,
        period_start=period.start,
        period_end=period.end,
        gate_code="",
        flow="",
        hs_chapter="",
    ).exclude(granularity=Granularity.MONTH)
    if period.kind in _HEADLINE:
        rows = rows.filter(granularity=_HEADLINE[period.kind])
    row = rows.filter(metric=metric).first()
    if row is not None:
        return Figure(
            series_code,
            metric,
            year,
            row.amount,
            "derived" if row.derived else "published",
            row.source,
            row.yoy_percent,
        )
    if metric == Metric.TURNOVER_TOTAL:
        parts = {r.metric: r for r in rows.filter(metric__in=[EXPORT, IMPORT])}
        if len(parts) == 2:
            return Figure(
                series_code,
                metric,
                year,
                parts[EXPORT].amount + parts[IMPORT].amount,
                "derived",
                _("xuất khẩu + nhập khẩu"),
            )
    if months_with_data(series=series, period=period) == period.months:
        data = amounts(series=series, period=period).get("", {})
        if metric == Metric.TURNOVER_TOTAL:
            value = data.get(EXPORT, ZERO) + data.get(IMPORT, ZERO) if data else None
        else:
            value = data.get(metric)
        if value is not None:
            return Figure(
                series_code,
                metric,
                year,
                value,
                "months",
                _("cộng %(n)d tháng số liệu thống kê") % {"n": period.months},
            )
    return None


# --- source (a): computed from declarations ---------------------------------------------------------


def computed_queryset(*, user, by_enterprise: bool = False, enterprise_totals: bool = False):
    """ComputedTurnover rows the user may read, at one grain. Statistics readers read every row: the
    Board grain (no enterprise) by default, the detail by enterprise with `by_enterprise`, or each
    enterprise's month totals (gate, flow and chapter '*') with `enterprise_totals`. An enterprise
    user reads their own enterprise's rows only; anyone else nothing."""
    if reads_series(user):
        qs = ComputedTurnover.objects.all()
    else:
        unit_id = computed_enterprise_filter(user) if user is not None and user.is_authenticated else None
        if not unit_id or user.role != "enterprise_user":
            return ComputedTurnover.objects.none()
        from cuakhau.parties.models import Enterprise

        qs = ComputedTurnover.objects.filter(
            enterprise_id__in=Enterprise.objects.filter(unit_id=unit_id).values("pk")
        )
        by_enterprise = True
    if enterprise_totals:
        return qs.filter(by_enterprise=True, gate_code=ALL)
    if by_enterprise:
        return qs.filter(by_enterprise=True).exclude(gate_code=ALL)
    return qs.filter(by_enterprise=False)


_COMPUTED_FIELDS = {"gate": "gate_code", "flow": "flow", "hs": "hs_chapter", "month": "month"}


def _computed_rows(*, user, period: Period, gate: str, enterprise: bool, cache: dict | None) -> list[dict]:
    """The period's rows at the grain the tables add up (one query; a page's six tables share it
    through `cache`)."""
    key = (period.first, period.last, gate, enterprise)
    if cache is not None and key in cache:
        return cache[key]
    if enterprise:
        qs = computed_queryset(user=user, enterprise_totals=not gate, by_enterprise=bool(gate))
        fields = ["enterprise_id", "enterprise_name", "direction"]
    else:
        qs = computed_queryset(user=user)
        fields = ["month", "gate_code", "flow", "hs_chapter", "direction"]
    qs = qs.filter(month__gte=period.start, month__lte=period.end)
    if gate:
        qs = qs.filter(gate_code=gate)
    rows = list(qs.values(*fields).annotate(s=Sum("usd")).order_by())
    if cache is not None:
        cache[key] = rows
    return rows


def computed_amounts(
    *, user, period: Period, by: str | None = None, gate: str = "", cache: dict | None = None
) -> dict[str, dict[str, Decimal]]:
    """{key: {metric: USD}} of the computed turnover in a period, by a dimension (gate, flow, hs,
    month, direction, enterprise) or None (key '')."""
    rows = _computed_rows(user=user, period=period, gate=gate, enterprise=by == "enterprise", cache=cache)
    result: dict[str, dict[str, Decimal]] = {}
    names: dict[str, str] = {}
    for item in rows:
        if by == "enterprise":
            key = "" if item["enterprise_id"] is None else str(item["enterprise_id"])
            names[key] = item["enterprise_name"]
        elif by == "direction":
            key = item["direction"]
        elif by in _COMPUTED_FIELDS:
            key = item[_COMPUTED_FIELDS[by]]
            key = key.strftime("%Y-%m") if isinstance(key, dt.date) else str(key or "")
        else:
            key = ""
        metric = EXPORT if item["direction"] == "export" else IMPORT
        bucket = result.setdefault(key, {})
        bucket[metric] = bucket.get(metric, ZERO) + Decimal(item["s"] or 0)
    if names:
        result = {k: v | {"__name__": names.get(k, "")} for k, v in result.items()}
    return result


def computed_table(*, user, period: Period, by: str, cache: dict | None = None) -> Table:
    """A table of the computed turnover by a dimension, with growth on the same period a year earlier.
    Pass the same `cache` dict to build several tables of one page from one query per period."""
    if by not in COMPUTED_DIMENSIONS:
        raise ValueError(by)
    current = computed_amounts(user=user, period=period, by=by, cache=cache)
    earlier = computed_amounts(user=user, period=period.same_last_year(), by=by, cache=cache)
    if by == "month":
        earlier = {f"{int(k[:4]) + 1:04d}{k[4:]}": v for k, v in earlier.items()}
    if by == "direction":
        current = {("export" if EXPORT in v else "import"): v for v in current.values()}
        earlier = {("export" if EXPORT in v else "import"): v for v in earlier.values()}
        out = Table(by=by)
        for key in sorted(current):
            data, before = current[key], earlier.get(key)
            out.rows.append(
                TableRow(
                    key=key,
                    label=str(_("Xuất khẩu") if key == "export" else _("Nhập khẩu")),
                    export=data.get(EXPORT, ZERO),
                    import_=data.get(IMPORT, ZERO),
                    previous_total=sum(before.values(), ZERO) if before else None,
                )
            )
        return _shares(out)
    if by == "enterprise":
        out = Table(by=by)
        for key, data in current.items():
            before = earlier.get(key)
            out.rows.append(
                TableRow(
                    key=key,
                    label=data.get("__name__") or _("(không rõ doanh nghiệp)"),
                    export=data.get(EXPORT, ZERO),
                    import_=data.get(IMPORT, ZERO),
                    previous_total=(before.get(EXPORT, ZERO) + before.get(IMPORT, ZERO)) if before else None,
                )
            )
        out.rows.sort(key=lambda r: (-r.total, r.key))
        return _shares(out)
    return _build_table(by, current, earlier)


def _shares(out: Table) -> Table:
    total = out.total
    for row in out.rows:
        row.share = (
            (row.total * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else None
        )
    return out


def computed_totals(*, user, period: Period, cache: dict | None = None) -> Totals:
    rows = _computed_rows(user=user, period=period, gate="", enterprise=False, cache=cache)
    data = computed_amounts(user=user, period=period, cache=cache).get("", {})
    months = len({r["month"] for r in rows})
    return Totals(export=data.get(EXPORT, ZERO), import_=data.get(IMPORT, ZERO), months_with_data=months)


def computed_period_totals(period: Period) -> Totals | None:
    """Board-wide turnover computed from declarations in a period (the reports' figure, not scoped:
    the report page is), or None when no trip crossed in it."""
    qs = ComputedTurnover.objects.filter(by_enterprise=False, month__gte=period.start, month__lte=period.end)
    data = {
        row["direction"]: Decimal(row["s"] or 0)
        for row in qs.values("direction").annotate(s=Sum("usd")).order_by()
    }
    if not data:
        return None
    months = qs.values("month").distinct().count()
    return Totals(export=data.get("export", ZERO), import_=data.get("import", ZERO), months_with_data=months)


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


def rates(*, user, currency: str = ""):
    from .models import ExchangeRate

    qs = ExchangeRate.objects.for_user(user)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs


def imports(*, user):
    from .models import ImportBatch

    return ImportBatch.objects.for_user(user).select_related("series", "created_by")

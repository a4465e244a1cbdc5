"""Headline figures as published (quarter, year and other-period rows, shown apart and never added to
month rows) and the figures the reports read: a period's figure of a series, published or added up
from its months."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import Granularity, Metric, Series, StatRow
from ..periods import Period
from .series import amounts, months_with_data
from .tables import EXPORT, IMPORT, ZERO

if TYPE_CHECKING:
    from cuakhau.core.models import User

HEADLINE_GRANULARITIES = [g for g in Granularity.values if g != Granularity.MONTH]


def _series_ids() -> list[int]:
    return list(Series.objects.values_list("pk", flat=True))


def published(*, user: User | None, series: Series | None = None) -> QuerySet[StatRow]:
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


def latest_year_figure(series_code: str, metric: str, *, until_year: int) -> tuple[Series, StatRow] | None:
    """The series and its headline figure for the latest year (up to `until_year`) that has one: the
    whole year's if published, else the latest figure from January on (January to October, say), so
    that a year being published month by month shows before its year-end figure does. A year-end
    figure wins over a part of the same year."""
    series = Series.objects.filter(code=series_code).first()
    if series is None:
        return None
    row = (
        StatRow.objects.filter(
            series=series,
            granularity__in=(Granularity.YEAR, Granularity.PERIOD),
            metric=metric,
            period_start__month=1,
            period_start__day=1,
            period_start__year__lte=until_year,
            gate_code="",
            flow="",
            hs_chapter="",
        )
        .order_by("-period_start", "-period_end")
        .first()
    )
    return (series, row) if row is not None else None

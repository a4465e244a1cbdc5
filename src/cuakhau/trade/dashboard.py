"""The trade card on the dashboard: the published turnover of the latest year that has a figure, named
by its series, with its growth; and the turnover computed from declarations for the latest year in
which trips crossed, named as such (the two count different things and are never added)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card
from cuakhau.core.l10n import format_number, format_percent

from .permissions import reads_series

SERIES = "all_through_gates"


def _million(amount: Decimal) -> Decimal:
    # normalize(): the column keeps 4 places; a leader reads 51.990,563, not 51.990,5630
    return (amount / 1_000_000).quantize(Decimal("0.001")).normalize()


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _period_label(row) -> str:
    if row.period_end.month == 12 and row.period_end.day == 31:
        return _("Năm %(y)s") % {"y": row.period_start.year}
    return _("Tháng 1–%(m)s năm %(y)s") % {"m": row.period_end.month, "y": row.period_start.year}


def dashboard_cards(user):
    if not reads_series(user):
        return []
    from .models import Metric
    from .selectors import computed_latest_year, latest_year_figure

    found = latest_year_figure(SERIES, Metric.TURNOVER_TOTAL, until_year=timezone.localdate().year)
    computed = computed_latest_year()
    if found is None and computed is None:
        return []
    rows = []
    if computed is not None:
        year, totals = computed
        rows.append(
            (
                _("Tính từ tờ khai qua cửa khẩu, năm %(y)s (triệu USD)") % {"y": year},
                format_number(_million(totals.total)),
            )
        )
    if found is None:
        return [
            Card(
                title=_("Kim ngạch tính từ tờ khai qua cửa khẩu"),
                value=rows[0][1],
                url=_url("trade:computed"),
                hint=_("Năm %(y)s, triệu USD") % {"y": computed[0]},
            )
        ]
    series, row = found
    hint = _("%(period)s, triệu USD") % {"period": _period_label(row)}
    if row.yoy_percent is not None:
        change = row.yoy_percent.normalize()  # 20%, not the column's 20,00%
        if change >= 0:
            hint += " · " + _("tăng %(p)s") % {"p": format_percent(change)}
        else:
            hint += " · " + _("giảm %(p)s") % {"p": format_percent(-change)}
    return [
        Card(
            title=series.name,
            value=format_number(_million(row.amount)),
            url=_url("trade:statistics"),
            hint=hint,
            rows=rows,
        )
    ]

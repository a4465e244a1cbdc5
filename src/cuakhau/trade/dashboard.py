"""The trade card on the dashboard: last year's published turnover and its growth (real figures)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card
from cuakhau.core.vnformat import format_number, format_percent

from .permissions import reads_series


def dashboard_cards(user):
    if not reads_series(user):
        return []
    from .models import Granularity, Metric, StatRow

    row = (
        StatRow.objects.filter(
            series__code="all_through_gates", metric=Metric.TURNOVER_TOTAL, granularity=Granularity.YEAR
        )
        .filter(period_start__year__lte=timezone.localdate().year)
        .order_by("-period_start")
        .first()
    )
    if row is None:
        return []
    try:
        url = reverse("trade:statistics")
    except NoReverseMatch:
        url = ""
    hint = _("Năm %(y)s, triệu USD") % {"y": row.period_start.year}
    if row.yoy_percent is not None:
        hint += " · " + _("tăng %(p)s") % {"p": format_percent(row.yoy_percent)}
    return [
        Card(
            title=_("Kim ngạch XNK qua các cửa khẩu"),
            # normalize(): the column keeps 4 places; a leader reads 51.990,563, not 51.990,5630
            value=format_number((row.amount / 1_000_000).normalize()),
            url=url,
            hint=hint,
        )
    ]

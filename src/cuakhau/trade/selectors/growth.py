"""Growth: a figure against the same period a year earlier and against the period just before."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ..periods import Period

if TYPE_CHECKING:
    from .tables import Totals


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Percent change, one decimal, halves away from zero: 5250 on 4130.6 -> 27.1. None without a base."""
    if current is None or previous is None or previous == 0:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summary_lines(period: Period, current: Totals, last_year: Totals, previous: Totals) -> dict:
    """The summary of a period from the `Totals` of the period, the same period a year earlier and the
    period just before: export, import and total with both growths (none without data to compare)."""
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

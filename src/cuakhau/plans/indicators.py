"""Statistics an indicator may be linked to, and the apps that provide their actual values.

plans imports no other operational app. An app that computes a statistic registers a provider in its
`AppConfig.ready()`:

    from cuakhau.plans import indicators
    indicators.register("turnover_total", lambda year: rollup_for(year))

A provider takes a year and returns a Decimal in the statistic's unit (below), or None when it has no
figure for that year. A provider that fails is logged and treated as "no figure": a plan page never
breaks because a statistic does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Statistic:
    key: str
    label: object
    measure: object  # the unit every provider of this key returns


# The statistics the Board's plans name (the seed's year-end review); apps may register more.
_statistics: dict[str, Statistic] = {}
_providers: dict[str, Callable[[int], Decimal | None]] = {}


def declare(key: str, label, measure) -> Statistic:
    stat = Statistic(key, label, measure)
    _statistics[key] = stat
    return stat


declare("turnover_total", _("Tổng kim ngạch xuất nhập khẩu qua các cửa khẩu"), _("triệu USD"))
declare("turnover_export", _("Kim ngạch xuất khẩu qua các cửa khẩu"), _("triệu USD"))
declare("turnover_import", _("Kim ngạch nhập khẩu qua các cửa khẩu"), _("triệu USD"))
declare("infrastructure_fee_revenue", _("Thu phí sử dụng công trình kết cấu hạ tầng"), _("tỷ đồng"))


def register(key: str, provider: Callable[[int], Decimal | None], *, label=None, measure=None) -> None:
    """Register the provider of a statistic's actual value. A key not declared above needs a label
    and a measure."""
    if key not in _statistics:
        if label is None or measure is None:
            raise ValueError(f"statistic {key!r} is not declared: pass label= and measure=")
        declare(key, label, measure)
    _providers[key] = provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def statistic(key: str) -> Statistic | None:
    return _statistics.get(key)


def statistics() -> list[Statistic]:
    return sorted(_statistics.values(), key=lambda s: s.key)


def has_provider(key: str) -> bool:
    return key in _providers


def actual(key: str, year: int) -> Decimal | None:
    """The statistic's value for the year from its provider, or None (no provider, no figure, or a
    provider that failed)."""
    provider = _providers.get(key)
    if provider is None:
        return None
    try:
        value = provider(year)
    except Exception:  # a broken provider must not break the plan pages
        logger.exception("indicator provider %s failed for %s", key, year)
        return None
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))

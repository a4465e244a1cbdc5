"""Registries through which other apps feed trade statistics without trade importing them.

Source (a), turnover computed from declarations. The traffic app registers, in its AppConfig.ready():

    from cuakhau.trade.sources import DeclaredValue, register_declared_values
    register_declared_values("traffic", declared_values)

where `declared_values(*, start: date, end: date) -> Iterable[DeclaredValue]` yields the declared
values of goods lines of declarations that crossed between start and end (inclusive), already summed per
day, currency and the dimensions below (one item per group, not per line: ten years are ~7 million
trips). trade converts each to USD at that day's rate and keeps monthly sums (ComputedTurnover);
`cuakhau trade refresh` or the `refresh_computed_turnover` task rebuilds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class DeclaredValue:
    day: dt.date  # the day the goods crossed (the rate of this day applies)
    direction: str  # "export" | "import"
    currency: str  # ISO 4217 code of the declared value
    value: Decimal  # the declared value, summed over the group's goods lines
    gate_code: str = ""
    flow: str = ""  # the declaration's goods flow (export, import, temp_import_reexport, ...)
    hs_chapter: str = ""  # first two digits of the HS code
    enterprise_id: int | None = None  # parties.Enterprise pk
    enterprise_name: str = ""
    line_count: int = 1


DeclaredValuesProvider = Callable[..., Iterable[DeclaredValue]]
_providers: dict[str, DeclaredValuesProvider] = {}


def register_declared_values(name: str, provider: DeclaredValuesProvider) -> None:
    _providers[name] = provider


def unregister_declared_values(name: str) -> None:
    _providers.pop(name, None)


def declared_value_providers() -> list[tuple[str, DeclaredValuesProvider]]:
    return sorted(_providers.items())

"""Converting declared values to USD with the rate table (source (a) of turnover).

A value in currency C on day D is worth value * rate(C, D) / rate(USD, D) dollars, where rate(X, D) is
the central rate (đồng per unit of X) entered for D or, failing that, the latest one before D. VND's
rate is 1. Decimal throughout; a value whose currency has no rate yet is reported, not guessed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from .models import ExchangeRate

ONE = Decimal(1)


class RateMissing(LookupError):
    def __init__(self, currency: str, day: dt.date):
        super().__init__(f"no {currency} rate on or before {day.isoformat()}")
        self.currency = currency
        self.day = day


class RateTable:
    """Every rate up to `until`, loaded once; lookups are a bisection per currency."""

    def __init__(self, until: dt.date | None = None):
        rates = ExchangeRate.objects.all()
        if until is not None:
            rates = rates.filter(day__lte=until)
        self._days: dict[str, list[dt.date]] = {}
        self._values: dict[str, list[Decimal]] = {}
        for day, currency, value in rates.order_by("currency", "day").values_list(
            "day", "currency", "vnd_per_unit"
        ):
            self._days.setdefault(currency, []).append(day)
            self._values.setdefault(currency, []).append(value)

    def vnd_per_unit(self, currency: str, day: dt.date) -> Decimal:
        currency = currency.upper()
        if currency == "VND":
            return ONE
        days = self._days.get(currency)
        if not days:
            raise RateMissing(currency, day)
        i = bisect.bisect_right(days, day) - 1
        if i < 0:
            raise RateMissing(currency, day)
        return self._values[currency][i]

    def to_usd(self, value: Decimal, currency: str, day: dt.date) -> Decimal:
        if currency.upper() == "USD":
            return value
        return value * self.vnd_per_unit(currency, day) / self.vnd_per_unit("USD", day)

    def to_vnd(self, value: Decimal, currency: str, day: dt.date) -> Decimal:
        return value * self.vnd_per_unit(currency, day)


def to_usd(value: Decimal, currency: str, day: dt.date) -> Decimal:
    """One conversion (pages and the API); bulk work uses a RateTable."""
    return RateTable(until=day).to_usd(value, currency, day)

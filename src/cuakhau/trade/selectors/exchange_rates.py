"""Exchange rates the user may read."""

from __future__ import annotations

from ..models import ExchangeRate


def rates(*, user, currency: str = ""):
    qs = ExchangeRate.objects.for_user(user)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs

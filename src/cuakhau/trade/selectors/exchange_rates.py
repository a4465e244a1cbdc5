"""Exchange rates the user may read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ..models import ExchangeRate

if TYPE_CHECKING:
    from cuakhau.core.models import User


def rates(*, user: User | None, currency: str = "") -> QuerySet[ExchangeRate]:
    qs = ExchangeRate.objects.for_user(user)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs

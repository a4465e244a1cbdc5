"""Exchange rates: the State Bank's central rate of a currency for a day, entered or imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cuakhau.core import numbers
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service

from ..models import ExchangeRate
from ..parsing import LineError
from ..permissions import manages
from .common import ImportRefused


def _rate_value(raw, lang: str | None = None) -> Decimal:
    """A rate as a number, or text read in `lang` (None: the active language) by core.numbers."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ServiceError(_("Cần ghi tỷ giá."), field="vnd_per_unit")
    try:
        value = numbers.to_number(raw, lang=lang, label=_("Tỷ giá"))
    except numbers.NumberReadError as exc:
        raise ServiceError(exc.message, field="vnd_per_unit") from None
    if not value.is_finite() or value <= 0 or value >= Decimal("1e13"):
        raise ServiceError(_("Tỷ giá phải lớn hơn 0."), field="vnd_per_unit")
    return value.quantize(Decimal("0.0001"))


def _currency(raw: str) -> str:
    code = (raw or "").strip().upper()
    if len(code) != 3 or not code.isalpha() or code == "VND":
        raise ServiceError(
            _("Mã tiền tệ gồm 3 chữ cái theo ISO 4217 (USD, CNY, …), khác VND."), field="currency"
        )
    return code


@service
def rate_set(
    *, actor: User | None, day: dt.date, currency: str, vnd_per_unit: Any, source: str = ""
) -> ExchangeRate:
    """Enter the State Bank's central rate of a currency for a day (Law on the State Bank 2010, art. 10:
    the SBV announces the exchange rate; declared values are converted at the rate of the day,
    Circular 38/2015/TT-BTC art. 21 as amended). Entering it again for the same day replaces it."""
    if actor is not None and not manages(actor):
        raise ServiceError(_("Bạn không có quyền nhập tỷ giá."), code="forbidden", status=403)
    currency = _currency(currency)
    value = _rate_value(vnd_per_unit)
    if not isinstance(day, dt.date):
        raise ServiceError(_("Ngày không hợp lệ."), field="day")
    rate = ExchangeRate.objects.select_for_update().filter(day=day, currency=currency).first()
    before = snapshot(rate) if rate else None
    if rate is None:
        rate = ExchangeRate.objects.create(
            day=day, currency=currency, vnd_per_unit=value, source=source[:255], created_by=actor
        )
    else:
        rate.vnd_per_unit, rate.source = value, source[:255]
        rate.save(update_fields=["vnd_per_unit", "source"])
    audit_record(action="trade.rate.set", obj=rate, before=before, after=snapshot(rate), actor=actor)
    return rate


@service
def rates_import(*, actor: User | None, rows: Iterable[dict], lang: str | None = None) -> int:
    """Import rates (columns day as YYYY-MM-DD, currency, vnd_per_unit written in `lang`, source): all
    or nothing, every bad line named."""
    errors: list[LineError] = []
    clean = []
    for line, rec in enumerate(rows, start=2):
        try:
            day = dt.date.fromisoformat((rec.get("day") or "").strip())
        except ValueError:
            errors.append(LineError(line, "day", _("Ngày phải có dạng YYYY-MM-DD.")))
            continue
        try:
            clean.append(
                (day, _currency(rec.get("currency", "")), _rate_value(rec.get("vnd_per_unit", ""), lang), rec)
            )
        except ServiceError as exc:
            errors.append(LineError(line, exc.field, exc.messages[0]))
    if errors:
        raise ImportRefused(errors)
    for day, currency, value, rec in clean:
        rate_set(
            day=day, currency=currency, vnd_per_unit=value, source=rec.get("source", "") or "", actor=actor
        )
    return len(clean)

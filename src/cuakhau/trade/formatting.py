"""Amounts for people: USD in millions, đồng in billions, the way the Board writes them
(5.250 triệu USD, 645,262 tỷ đồng). Always Vietnamese (reports); pages use the `trade` filters."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cuakhau.core.vnformat import format_number, round_half_up

SCALES = {
    "usd": (Decimal(1_000_000), "triệu USD"),
    "vnd": (Decimal(1_000_000_000), "tỷ đồng"),
    "count": (Decimal(1), ""),
}


def trim(value: Decimal, places: int = 3) -> Decimal:
    """Rounded to at most `places` decimals, without trailing zeros: 5250.000 -> 5250, 4130.600 -> 4130.6."""
    value = round_half_up(Decimal(value), places)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def scaled(amount: Decimal, base: str = "usd", places: int = 3) -> Decimal:
    return trim(Decimal(amount) / SCALES[base][0], places)


def amount_text(amount: Decimal, base: str = "usd", places: int = 3) -> str:
    """5250000000 -> '5.250 triệu USD'; 645262000000 (vnd) -> '645,262 tỷ đồng'."""
    unit = SCALES[base][1]
    number = format_number(scaled(amount, base, places))
    return f"{number} {unit}".strip()


def unit_label(base: str) -> str:
    return {"usd": _("triệu USD"), "vnd": _("tỷ đồng"), "count": ""}[base]

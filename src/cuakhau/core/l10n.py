"""Numbers and money in the reader's language, for what a person reads on a page: flashed messages,
service refusals, the `vn` template filters.

    format_number(-50000)          vi "-50.000"       en, zh "-50,000"
    format_number(5250.5)          vi "5.250,5"       en, zh "5,250.5"
    format_number(2.345, 2)        vi "2,35"          en, zh "2.35"     (rounded half up)
    format_percent(27.1)           vi "27,1%"         en, zh "27.1%"
    format_vnd(1200000)            vi "1.200.000 đ"   en, zh "1,200,000 VND"

The language is the active one (the page's: the switch's cookie, Vietnamese by default), read when the
function is called, so format a message where it is made, inside the request. Documents that are
Vietnamese whoever prints them (receipts, official letters, reports) call cuakhau.core.vnformat instead.

Amounts in đồng are whole: 50000 shows as "50.000", never "50.000,00".
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import formats, translation

from cuakhau.core import vnformat

__all__ = ["format_number", "format_percent", "format_vnd", "is_vietnamese"]


def is_vietnamese() -> bool:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0].lower() == "vi"


def _other_language(number: Decimal, decimals: int | None) -> str:
    if decimals is not None:
        number = vnformat.round_half_up(number, decimals)
    elif vnformat.exponent(number) > 0:  # Decimal("1E+3")
        number = vnformat.round_half_up(number, 0)
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_number(value, decimals: int | None = None) -> str:
    """`value` (int, Decimal, float or machine-form string) grouped in the reader's language; with
    `decimals`, exactly that many places (a column of them lines up). Raises ValueError on what is not a
    finite number, as vnformat.format_number does."""
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
        raise ValueError("decimals must be a non-negative int")
    if is_vietnamese():
        return vnformat.format_number(value, decimals)
    return _other_language(vnformat.to_decimal(value), decimals)


def format_percent(value, decimals: int | None = None) -> str:
    """The value is already a percentage: 27.1 -> "27,1%" / "27.1%"."""
    return format_number(value, decimals) + "%"


def format_vnd(amount, *, long: bool = False) -> str:
    """Whole đồng with the unit: "1.200.000 đ" ("1.200.000 đồng" with long=True) on Vietnamese pages,
    "1,200,000 VND" on English and Chinese ones. A fraction of a đồng is refused (NumberFormatError)."""
    if is_vietnamese():
        return vnformat.format_vnd(amount, long=long)
    number = vnformat.to_decimal(amount)
    vnformat.format_vnd(number)  # the same refusal of a fraction of a đồng
    return f"{_other_language(number, 0)} VND"

"""Template filters for numbers, money and dates: `{% load vn %}{{ value|vn_number }}`.

    vn_number       5250 -> 5.250, 27.1 -> 27,1, Decimal("1200.000") -> 1.200 (the digits that matter: a
                    quantity stored with three places shows as it was entered)
    vn_decimal:2    2.345 -> 2,35 (exactly that many places, rounded half up)
    vnd             1200000 -> 1.200.000 đ
    vn_percent[:1]  27.1 -> 27,1%
    {% column_places rows "field" as n %}  the places a column needs, for vn_decimal:n in every row
    vn_words        1200000 -> Một triệu hai trăm nghìn đồng
    vn_date         date(2025, 6, 5) -> 05/06/2025
    vn_datetime     -> 05/06/2025 14:30 (Vietnam time)

On Vietnamese pages (the default) these give the Vietnamese forms above. On English and Chinese pages the
numbers and dates follow the reader's language (5,250.5; 1,200,000 VND; "June 5, 2025"; 2025年6月5日),
because "5.250" on an English page reads as five and a quarter. `vn_words` is always Vietnamese: it is
the legal wording on receipts. Documents that must be Vietnamese whatever the reader's language (receipts,
official letters) render under `translation.override("vi")` or call cuakhau.core.vnformat directly.
The numbers come from cuakhau.core.l10n, which messages and refusals use too.

A value that is not a number (or not a date) is returned unchanged, so "—", "" and None pass through,
and a bad value never breaks a page. Strings are never parsed: "5250" stays "5250".
"""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import formats, timezone

from cuakhau.core import l10n, numbers, vnformat

register = template.Library()


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return vnformat.to_decimal(value)
    except ValueError:  # NaN, infinity
        return None


def _places(arg) -> int | None:
    try:
        places = int(arg)
    except (TypeError, ValueError):
        return None
    return places if places >= 0 else None


@register.filter
def vn_number(value):
    number = _number(value)
    if number is None:
        return value
    return l10n.format_number(numbers.plain(number))


@register.filter
def vn_decimal(value, places=2):
    number, places = _number(value), _places(places)
    if number is None or places is None:
        return value
    return l10n.format_number(number, places)


@register.simple_tag
def column_places(rows, name, most=3):
    """The decimals a table's column needs so that every row shows as many: the most that any row's
    value has once its trailing zeros are dropped, at most `most`.

        {% column_places lines "gross_kg" as kg %} ... {{ line.gross_kg|vn_decimal:kg }}
    gives 1.200,0 and 1.250,5 for 1200.000 and 1250.500 (vn_number alone would give 1.200 and 1.250,5).
    """
    places = 0
    for row in rows:
        number = _number(row.get(name) if isinstance(row, dict) else getattr(row, name, None))
        if number is not None:
            places = max(places, -min(0, number.normalize().as_tuple().exponent))
    return min(places, int(most))


@register.filter
def vn_percent(value, places=None):
    number = _number(value)
    if number is None:
        return value
    return l10n.format_percent(number, _places(places) if places is not None else None)


@register.filter
def vnd(value):
    number = _number(value)
    if number is None or number != number.to_integral_value():
        return value
    return l10n.format_vnd(number)


@register.filter
def vn_words(value):
    number = _number(value)
    if number is None or number != number.to_integral_value():
        return value
    return vnformat.amount_in_words(int(number))


@register.filter
def vn_date(value):
    if not isinstance(value, dt.date):
        return value
    if l10n.is_vietnamese():
        return vnformat.format_date(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


@register.filter
def vn_datetime(value):
    if not isinstance(value, dt.datetime):
        return vn_date(value)
    if l10n.is_vietnamese():
        return vnformat.format_datetime(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT", use_l10n=True)

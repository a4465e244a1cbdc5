"""`{% load trade %}`: amounts as the Board reads them, in the page's language.

{{ usd|musd }}      5.250         million USD, up to 3 decimals (a headline figure)
{{ usd|musd:3 }}    5.250,000     exactly 3 decimals, so that a table's column lines up row by row
{{ vnd|bvnd }}      645,262       billion đồng (bvnd:3 likewise)
"""

from decimal import Decimal

from django import template

from cuakhau.core.templatetags.vn import vn_decimal, vn_number

from ..formatting import SCALES, scaled

register = template.Library()


def _amount(value, base, places):
    if value is None or value == "":
        return "—"
    if places is None or places == "":
        return vn_number(scaled(value, base))
    return vn_decimal(Decimal(value) / SCALES[base][0], places)


@register.filter
def musd(value, places=None):
    return _amount(value, "usd", places)


@register.filter
def bvnd(value, places=None):
    return _amount(value, "vnd", places)


@register.filter
def scaled_amount(value, base="usd"):
    return _amount(value, base or "usd", None)

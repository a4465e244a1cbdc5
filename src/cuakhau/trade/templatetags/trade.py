"""`{% load trade %}`: amounts as the Board reads them. {{ usd|musd }} -> 5.250 (million USD, up to 3
decimals, in the page's language); {{ vnd|bvnd }} -> 645,262 (billion đồng)."""

from django import template

from cuakhau.core.templatetags.vn import vn_number

from ..formatting import scaled

register = template.Library()


@register.filter
def musd(value):
    if value is None or value == "":
        return "—"
    return vn_number(scaled(value, "usd"))


@register.filter
def bvnd(value):
    if value is None or value == "":
        return "—"
    return vn_number(scaled(value, "vnd"))


@register.filter
def scaled_amount(value, base="usd"):
    if value is None or value == "":
        return "—"
    return vn_number(scaled(value, base or "usd"))

"""Template filters for Vietnamese number forms (filled in by the formats work)."""

from django import template

register = template.Library()


@register.filter
def vn_number(value):
    return value

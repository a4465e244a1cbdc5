from django import template

from cuakhau.fees.formatting import format_quantity, format_vnd

register = template.Library()


@register.filter
def vnd(value):
    """6500000 -> 6.500.000 đ"""
    return "—" if value is None or value == "" else format_vnd(int(value))


@register.filter
def qty(value):
    return "—" if value is None else format_quantity(value)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def unconfirmed_rules(assessment):
    """The keys of the illustrative rules a due assessment awaits confirmation of ([] when it may be
    receipted): lists mark a provisional fee (fees.confirmations)."""
    from cuakhau.fees.confirmations import unconfirmed_rules as pending

    if getattr(assessment, "status", "") != "due":
        return []
    return [r.key for r in pending(assessment)]

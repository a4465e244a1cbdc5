"""`{{ event.action|audit_label }}`: the registered label of an audit action (core.actions), so the
log reads "phân loại" beside `incidents.incident.triage`; an unknown name shows as itself."""

from __future__ import annotations

from django import template

from ..actions import audit_actions

register = template.Library()


@register.filter
def audit_label(action: str) -> str:
    label = audit_actions.label(action)
    return "" if label == action else str(label)

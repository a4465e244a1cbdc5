"""`{% load policy %}{% may "fees.collect" gate as can_collect %}`: templates ask the app's policy
(core.policy) instead of comparing roles."""

from __future__ import annotations

from typing import Any

from django import template

from .. import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, question: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return policy.may(user, question, obj)

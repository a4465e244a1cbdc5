from django import template

from ..models import Notification
from ..permissions import is_manager, is_reader, may_read_feedback

register = template.Library()


@register.simple_tag(takes_context=True)
def plans_nav(context):
    """What the plans tabs need: the unread count and which tabs this user has."""
    user = context["request"].user
    return {
        "unread": Notification.objects.for_user(user).unread().count(),
        "reader": is_reader(user),
        "manager": is_manager(user),
        "feedback": may_read_feedback(user),
        "unit_code": user.unit.code if user.unit_id else "",
    }

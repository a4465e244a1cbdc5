"""The cooperation card: the actions the user's scope holds, open and overdue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions
from .models import OPEN_ACTION, Commitment


def dashboard_cards(user) -> list:
    from cuakhau.core.dashboard import Card

    if not user.is_superuser and permissions.commitment_scope(user, "view") is False:
        return []
    actions = Commitment.objects.for_user(user)
    open_actions = actions.filter(status__in=OPEN_ACTION)
    if not open_actions.exists() and not permissions.may_read_board(user):
        return []
    return [
        Card(
            title=_("Cam kết hợp tác với Quảng Tây đang theo dõi"),
            value=open_actions.count(),
            url=reverse("cooperation:actions"),
            rows=[(_("Quá hạn"), actions.overdue().count())],
        )
    ]

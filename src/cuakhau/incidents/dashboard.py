"""The incidents card on the dashboard: open incidents in the user's scope, by state."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions
from .models import OPEN_STATUSES, Incident, Status


def dashboard_cards(user) -> list:
    from cuakhau.core.dashboard import Card

    if not permissions.may_list(user):
        return []
    open_rows = Incident.objects.for_user(user).filter(status__in=OPEN_STATUSES)
    by_status = dict(
        open_rows.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [
        Card(
            title=_("Vụ việc đang mở tại cửa khẩu"),
            value=sum(by_status.values()),
            url=reverse("incidents:list") + "?status=open",
            rows=[
                (label, by_status.get(value, 0)) for value, label in Status.choices if value in OPEN_STATUSES
            ],
        )
    ]

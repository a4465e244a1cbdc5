"""The plans card on the dashboard: real counts within the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card

from .models import Action, Notification, PlanStatus, Task, TaskStatus
from .permissions import is_reader, may_use


def dashboard_cards(user) -> list[Card]:
    if not may_use(user):
        return []
    today = timezone.localdate()
    tasks = Task.objects.for_user(user).filter(plan__status=PlanStatus.ACTIVE)
    actions = Action.objects.for_user(user)
    if not is_reader(user) and not tasks.exists() and not actions.exists():
        return []
    url = reverse("plans:index") if is_reader(user) else reverse("plans:unit_detail", args=[user.unit.code])
    return [
        Card(
            title=_("Nhiệm vụ và chỉ đạo"),
            value=tasks.exclude(status=TaskStatus.DONE).count()
            + actions.filter(status__in=("open", "in_progress")).count(),
            url=url,
            hint=_("nhiệm vụ và việc đang thực hiện"),
            rows=[
                (
                    _("Nhiệm vụ quá hạn"),
                    tasks.exclude(status=TaskStatus.DONE).filter(deadline__lt=today).count(),
                ),
                (_("Việc theo chỉ đạo quá hạn"), actions.overdue(today).count()),
                (_("Thông báo chưa đọc"), Notification.objects.for_user(user).unread().count()),
            ],
        )
    ]

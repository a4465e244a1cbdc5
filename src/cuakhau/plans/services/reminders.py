"""Notifications to the units' staff: deadline reminders and their reading."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.models import User
from cuakhau.core.roles import EXTERNAL_ROLES
from cuakhau.core.service import service
from cuakhau.core.vnformat import format_date
from cuakhau.core.workcal import add_working_days, working_days_between

from ..models import OPEN_ACTION_STATUSES, Action, Notification, PlanStatus, Task, TaskStatus
from ..validation import require

# Reminders go to the lead unit this many working days before a deadline, and once more when it passes.
REMIND_WORKING_DAYS = 5


@service
def notification_mark_read(*, actor: User, notifications) -> int:
    """Mark the user's own notifications read (anyone else's are left as they are)."""
    ids = list(
        Notification.objects.filter(
            pk__in=[n.pk for n in notifications], user_id=actor.pk, read_at__isnull=True
        )
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    audit_record(
        action="plans.notification.read",
        object_type="plans.notification",
        object_id=str(ids[0]) if len(ids) == 1 else "",
        object_repr=f"{len(ids)} thông báo",
        after={"ids": ids},
        actor=actor,
    )
    return len(ids)


def _recipients(unit_id: int) -> list[User]:
    return list(User.objects.filter(unit_id=unit_id, is_active=True).exclude(role__in=EXTERNAL_ROLES))


def _remaining(today: datetime.date, deadline: datetime.date) -> int:
    return int(working_days_between(today, deadline))


@service
def reminders_send(*, actor: User | None, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the lead unit's staff of a task or an action whose deadline falls within
    REMIND_WORKING_DAYS working days (Civil Code Art. 147: counted in working days after today), and
    once more when it has passed. Each reminder goes once per person and deadline (a changed deadline
    is a new reminder). Runs from the `send_deadline_reminders` task or `cuakhau plans remind`."""
    from django.urls import reverse

    require(actor, "plans.manage")
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_WORKING_DAYS)
    notices: list[tuple[int, str, str, str]] = []  # unit, key, message, url
    with translation.override("vi"):
        tasks = (
            Task.objects.filter(plan__status=PlanStatus.ACTIVE, deadline__isnull=False, deadline__lte=horizon)
            .exclude(status=TaskStatus.DONE)
            .select_related("plan")
        )
        for task in tasks:
            url = reverse("plans:task_detail", args=[task.pk])
            if task.deadline < today:
                key = f"task:{task.pk}:overdue:{task.deadline.isoformat()}"
                message = _("Quá hạn: nhiệm vụ “%(title)s” (kế hoạch năm %(year)s) hết hạn ngày %(date)s.")
            else:
                key = f"task:{task.pk}:due:{task.deadline.isoformat()}"
                message = _(
                    "Sắp đến hạn: nhiệm vụ “%(title)s” (kế hoạch năm %(year)s) hạn ngày %(date)s, "
                    "còn %(days)s ngày làm việc."
                )
            text = message % {
                "title": task.title[:200],
                "year": task.plan.year,
                "date": format_date(task.deadline),
                "days": _remaining(today, task.deadline),
            }
            notices.append((task.lead_unit_id, key, text, url))
        actions = Action.objects.filter(
            status__in=OPEN_ACTION_STATUSES, due_date__lte=horizon
        ).select_related("directive")
        for action in actions:
            url = reverse("plans:action_detail", args=[action.pk])
            if action.due_date < today:
                key = f"action:{action.pk}:overdue:{action.due_date.isoformat()}"
                message = _("Quá hạn: việc “%(title)s” theo chỉ đạo của %(leader)s hết hạn ngày %(date)s.")
            else:
                key = f"action:{action.pk}:due:{action.due_date.isoformat()}"
                message = _(
                    "Sắp đến hạn: việc “%(title)s” theo chỉ đạo của %(leader)s hạn ngày %(date)s, "
                    "còn %(days)s ngày làm việc."
                )
            text = message % {
                "title": action.title[:200],
                "leader": action.directive.leader,
                "date": format_date(action.due_date),
                "days": _remaining(today, action.due_date),
            }
            notices.append((action.owner_unit_id, key, text, url))
    recipients: dict[int, list[User]] = {}
    candidates = []
    for unit_id, key, text, url in notices:
        if unit_id not in recipients:
            recipients[unit_id] = _recipients(unit_id)
        for user in recipients[unit_id]:
            candidates.append(Notification(user=user, unit_id=unit_id, key=key, message=text[:500], url=url))
    existing = set(
        Notification.objects.filter(key__in={n.key for n in candidates}).values_list("user_id", "key")
    )
    new = [n for n in candidates if (n.user_id, n.key) not in existing]
    Notification.objects.bulk_create(new)
    counts = {"subjects": len(notices), "created": len(new), "already_sent": len(candidates) - len(new)}
    if new:
        audit_record(
            action="plans.notification.remind",
            object_type="plans.notification",
            object_repr=f"{len(new)} nhắc hạn",
            after=counts | {"today": today, "keys": sorted({n.key for n in new})},
            actor=actor,
        )
    return counts

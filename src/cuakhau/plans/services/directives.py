"""Leaders' directives and the actions that carry them out, each with an owner unit and a due date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.vnformat import format_date

from ..models import OPEN_ACTION_STATUSES, Action, ActionStatus, ActionUpdate, Directive
from .validation import action_snap, clean_text, cooperating, state_label, work_unit


@transaction.atomic
def directive_create(
    *,
    actor: User | None = None,
    leader: str,
    given_on: datetime.date,
    text: str,
    leader_title: str = "",
    meeting: str = "",
    reference: str = "",
) -> Directive:
    """Record a leader's directive: who gave it, when, at which meeting, what it says."""
    if not isinstance(given_on, datetime.date):
        raise ServiceError(_("Ngày chỉ đạo phải là một ngày (dd/mm/yyyy)."), field="given_on")
    if given_on > timezone.localdate():
        raise ServiceError(_("Ngày chỉ đạo không thể ở tương lai."), field="given_on")
    directive = Directive.objects.create(
        leader=clean_text(leader, "leader", _("Người chỉ đạo"), max_length=150),
        leader_title=clean_text(leader_title, "leader_title", _("Chức vụ"), required=False, max_length=255),
        given_on=given_on,
        meeting=clean_text(meeting, "meeting", _("Cuộc họp"), required=False, max_length=255),
        reference=clean_text(reference, "reference", _("Văn bản truyền đạt"), required=False, max_length=120),
        text=clean_text(text, "text", _("Nội dung chỉ đạo")),
    )
    audit_record(action="directive.create", obj=directive, after=snapshot(directive), actor=actor)
    return directive


@transaction.atomic
def action_add(
    *,
    actor: User | None = None,
    directive: Directive,
    title: str,
    owner_unit: Unit,
    due_date: datetime.date,
    cooperating_units: Iterable[Unit] = (),
) -> Action:
    """Turn (part of) a directive into a tracked action with an owner unit and a due date."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    owner_unit = work_unit(owner_unit, "owner_unit")
    coop = cooperating(cooperating_units, owner_unit)
    if not isinstance(due_date, datetime.date):
        raise ServiceError(_("Hạn hoàn thành phải là một ngày (dd/mm/yyyy)."), field="due_date")
    if due_date < directive.given_on:
        raise ServiceError(
            _("Hạn hoàn thành %(due)s trước ngày chỉ đạo %(given)s.")
            % {"due": format_date(due_date), "given": format_date(directive.given_on)},
            field="due_date",
        )
    number = (directive.actions.aggregate(n=Max("number"))["n"] or 0) + 1
    action = Action.objects.create(
        directive=directive,
        number=number,
        title=clean_text(title, "title", _("Việc cần làm"), max_length=500),
        owner_unit=owner_unit,
        due_date=due_date,
    )
    action.cooperating_units.set(coop)
    audit_record(action="directive_action.add", obj=action, after=action_snap(action), actor=actor)
    return action


_ACTION_NEXT = {
    ActionStatus.OPEN: {
        ActionStatus.OPEN,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
        ActionStatus.CANCELLED,
    },
    ActionStatus.IN_PROGRESS: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
}


@transaction.atomic
def action_update(
    *,
    actor: User | None = None,
    action: Action,
    note: str,
    status: str | None = None,
    result: str = "",
    completed_on: datetime.date | None = None,
    may_cancel: bool = False,
) -> ActionUpdate:
    """Report on an action. A finished action (done or cancelled) takes no more updates; done needs
    the result; only the Board's managers cancel (`may_cancel`)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status not in OPEN_ACTION_STATUSES:
        when = f" {format_date(action.completed_on)}" if action.completed_on else ""
        raise ServiceError(
            _("Việc này đã ở trạng thái “%(status)s”%(when)s; không cập nhật được nữa.")
            % {"status": action.get_status_display(), "when": when},
            field="status",
        )
    status = status or action.status
    if status not in ActionStatus.values or status not in _ACTION_NEXT[action.status]:
        raise ServiceError(
            _("Không chuyển được việc từ “%(now)s” sang “%(new)s”.")
            % {"now": action.get_status_display(), "new": state_label(ActionStatus, status)},
            field="status",
        )
    if status == ActionStatus.CANCELLED and not may_cancel:
        raise ServiceError(_("Chỉ lãnh đạo Ban và phòng chuyên môn được hủy việc."), field="status")
    note = clean_text(note, "note", _("Nội dung cập nhật"))
    result = clean_text(result, "result", _("Kết quả"), required=False)
    if status == ActionStatus.DONE and not result:
        raise ServiceError(_("Việc đã hoàn thành cần ghi kết quả."), field="result")
    if completed_on is not None and completed_on > timezone.localdate():
        raise ServiceError(_("Ngày hoàn thành không thể ở tương lai."), field="completed_on")
    before = action_snap(action)
    action.status = status
    if result:
        action.result = result
    if status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        action.completed_on = completed_on or timezone.localdate()
    action.save()
    update = ActionUpdate.objects.create(
        action=action,
        author=actor if actor is not None and actor.is_authenticated else None,
        status=status,
        note=note,
    )
    audit_record(
        action="directive_action.update",
        obj=action,
        before=before,
        after=action_snap(action) | {"note": note},
        actor=actor,
    )
    return update


@transaction.atomic
def action_reschedule(
    *, actor: User | None = None, action: Action, due_date: datetime.date, reason: str
) -> Action:
    """Move an unfinished action's due date (a manager's decision, with the reason)."""
    action = Action.objects.select_for_update().select_related("directive").get(pk=action.pk)
    if action.status not in OPEN_ACTION_STATUSES:
        raise ServiceError(
            _("Việc này đã ở trạng thái “%(status)s”; không đổi hạn được.")
            % {"status": action.get_status_display()},
            field="due_date",
        )
    if not isinstance(due_date, datetime.date) or due_date < action.directive.given_on:
        raise ServiceError(_("Hạn mới phải là một ngày không trước ngày chỉ đạo."), field="due_date")
    reason = clean_text(reason, "reason", _("Lý do đổi hạn"))
    before = action_snap(action)
    action.due_date = due_date
    action.save()
    ActionUpdate.objects.create(
        action=action,
        author=actor if actor is not None and actor.is_authenticated else None,
        status=action.status,
        note=_("Đổi hạn thành %(date)s: %(reason)s") % {"date": format_date(due_date), "reason": reason},
    )
    audit_record(
        action="directive_action.reschedule",
        obj=action,
        before=before,
        after=action_snap(action) | {"reason": reason},
        actor=actor,
    )
    return action

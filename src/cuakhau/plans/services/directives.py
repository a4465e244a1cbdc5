"""Leaders' directives and the actions that carry them out, each with an owner unit and a due date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service
from cuakhau.core.vnformat import format_date

from ..actions import ACTION
from ..models import OPEN_ACTION_STATUSES, Action, ActionStatus, ActionUpdate, Directive
from ..validation import action_snap, clean_text, cooperating, in_scope, require, state_label, work_unit


@service
def directive_create(
    *,
    actor: User | None,
    leader: str,
    given_on: datetime.date,
    text: str,
    leader_title: str = "",
    meeting: str = "",
    reference: str = "",
) -> Directive:
    """Record a leader's directive: who gave it, when, at which meeting, what it says."""
    require(actor, "plans.manage")
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
    audit_record(action="plans.directive.create", obj=directive, after=snapshot(directive), actor=actor)
    return directive


@service
def action_add(
    *,
    actor: User | None,
    directive: Directive,
    title: str,
    owner_unit: Unit,
    due_date: datetime.date,
    cooperating_units: Iterable[Unit] = (),
) -> Action:
    """Turn (part of) a directive into a tracked action with an owner unit and a due date."""
    directive = in_scope(Directive, actor, CHANGE, directive.pk)
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
    audit_record(action="plans.action.add", obj=action, after=action_snap(action), actor=actor)
    return action


# The ACTION step a report asking for each status takes, from an open action.
_STEP_TO = {
    ActionStatus.IN_PROGRESS: "start",
    ActionStatus.DONE: "complete",
    ActionStatus.CANCELLED: "cancel",
}


def _update_step(action: Action, status: str) -> str:
    if action.status not in OPEN_ACTION_STATUSES:
        when = f" {format_date(action.completed_on)}" if action.completed_on else ""
        raise ServiceError(
            _("Việc này đã ở trạng thái “%(status)s”%(when)s; không cập nhật được nữa.")
            % {"status": action.get_status_display(), "when": when},
            field="status",
        )
    if status == action.status:
        return "report"
    name = _STEP_TO.get(status)
    if name is None or not ACTION.allows_from(action, name):
        raise ServiceError(
            _("Không chuyển được việc từ “%(now)s” sang “%(new)s”.")
            % {"now": action.get_status_display(), "new": state_label(ActionStatus, status)},
            field="status",
        )
    return name


@service
def action_update(
    *,
    actor: User | None,
    action: Action,
    note: str,
    status: str | None = None,
    result: str = "",
    completed_on: datetime.date | None = None,
) -> ActionUpdate:
    """Report on an action: a step of the ACTION workflow. A finished action (done or cancelled)
    takes no more updates; done needs the result; only the Board's managers cancel."""
    current = Action.objects.get(pk=action.pk)
    status = status or current.status
    name = _update_step(current, status)
    if name == "cancel" and not ACTION.permitted(actor, current, name):
        raise ServiceError(_("Chỉ lãnh đạo Ban và phòng chuyên môn được hủy việc."), field="status")
    note = clean_text(note, "note", _("Nội dung cập nhật"))
    result = clean_text(result, "result", _("Kết quả"), required=False)
    if status == ActionStatus.DONE and not result:
        raise ServiceError(_("Việc đã hoàn thành cần ghi kết quả."), field="result")
    if completed_on is not None and completed_on > timezone.localdate():
        raise ServiceError(_("Ngày hoàn thành không thể ở tương lai."), field="completed_on")
    with ACTION.step(actor, current, name, note=note, facts={"note": note}) as step:
        if result:
            step.obj.result = result
        if status in (ActionStatus.DONE, ActionStatus.CANCELLED):
            step.obj.completed_on = completed_on or timezone.localdate()
    return step.obj.updates.first()


@service
def action_reschedule(*, actor: User | None, action: Action, due_date: datetime.date, reason: str) -> Action:
    """Move an unfinished action's due date (a manager's decision, with the reason)."""
    current = Action.objects.select_related("directive").get(pk=action.pk)
    if current.status not in OPEN_ACTION_STATUSES:
        raise ServiceError(
            _("Việc này đã ở trạng thái “%(status)s”; không đổi hạn được.")
            % {"status": current.get_status_display()},
            field="due_date",
        )
    if not isinstance(due_date, datetime.date) or due_date < current.directive.given_on:
        raise ServiceError(_("Hạn mới phải là một ngày không trước ngày chỉ đạo."), field="due_date")
    reason = clean_text(reason, "reason", _("Lý do đổi hạn"))
    note = _("Đổi hạn thành %(date)s: %(reason)s") % {"date": format_date(due_date), "reason": reason}
    with ACTION.step(actor, current, "reschedule", note=note, facts={"reason": reason}) as step:
        step.obj.due_date = due_date
    return step.obj

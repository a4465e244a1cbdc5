"""The year's work plan: draft -> active (issued; units report progress) -> closed (the year is over;
the province's evaluation may be entered). The moves are the PLAN workflow's steps (actions.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service

from ..actions import PLAN
from ..models import Plan, PlanStatus
from ..validation import UNCHANGED, clean_text, in_scope, plan_snap, require


@service
def plan_create(
    *,
    actor: User | None,
    year: int,
    title: str = "",
    reference: str = "",
    issued_on: datetime.date | None = None,
) -> Plan:
    """Open the work plan of a year (one per year), as a draft."""
    require(actor, "plans.manage")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Năm phải là một số, ví dụ 2018."), field="year") from exc
    if not 2000 <= year <= 2100:
        raise ServiceError(_("Năm của kế hoạch phải từ 2000 đến 2100."), field="year")
    if Plan.objects.filter(year=year).exists():
        raise ServiceError(_("Đã có kế hoạch công tác năm %(year)s.") % {"year": year}, field="year")
    title = clean_text(title, "title", _("Tên kế hoạch"), required=False, max_length=255) or _(
        "Kế hoạch công tác năm %(year)s"
    ) % {"year": year}
    plan = Plan.objects.create(
        year=year,
        title=title,
        reference=clean_text(reference, "reference", _("Số, ký hiệu văn bản"), required=False, max_length=80),
        issued_on=issued_on,
    )
    audit_record(action="plans.plan.create", obj=plan, after=plan_snap(plan), actor=actor)
    return plan


@service
def plan_update(
    *,
    actor: User | None,
    plan: Plan,
    title: str = UNCHANGED,
    reference: str = UNCHANGED,
    issued_on: datetime.date | None = UNCHANGED,
) -> Plan:
    """Change a plan's title, reference or date of issue (those given) while its year is not closed."""
    plan = in_scope(Plan, actor, CHANGE, plan.pk)
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không sửa được.") % {"year": plan.year}, field="status"
        )
    before = plan_snap(plan)
    if title is not UNCHANGED:
        plan.title = clean_text(title, "title", _("Tên kế hoạch"), max_length=255)
    if reference is not UNCHANGED:
        plan.reference = clean_text(
            reference, "reference", _("Số, ký hiệu văn bản"), required=False, max_length=80
        )
    if issued_on is not UNCHANGED:
        plan.issued_on = issued_on
    plan.save()
    after = plan_snap(plan)
    if after != before:
        audit_record(action="plans.plan.update", obj=plan, before=before, after=after, actor=actor)
    return plan


@service
def plan_activate(*, actor: User | None, plan: Plan) -> Plan:
    """Issue the plan: from now on the units report progress on their tasks."""
    with PLAN.step(actor, plan, "activate") as step:
        if not step.obj.tasks.exists():
            raise ServiceError(
                _("Kế hoạch chưa có nhiệm vụ nào; hãy thêm nhiệm vụ trước khi ban hành."), field="tasks"
            )
        step.obj.issued_on = step.obj.issued_on or timezone.localdate()
    return step.obj


@service
def plan_close(*, actor: User | None, plan: Plan) -> Plan:
    """End the plan's year: progress reports stop, and the province's evaluation may be entered."""
    with PLAN.step(actor, plan, "close") as step:
        step.obj.closed_at = timezone.now()
    return step.obj

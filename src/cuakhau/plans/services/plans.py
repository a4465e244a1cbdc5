"""The year's work plan: draft -> active (issued; units report progress) -> closed (the year is over;
the province's evaluation may be entered)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User

from ..models import Plan, PlanStatus
from .validation import clean_text, plan_snap


@transaction.atomic
def plan_create(
    *, actor: User | None = None, year: int, title: str = "", reference: str = "", issued_on=None
) -> Plan:
    """Open the work plan of a year (one per year), as a draft."""
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
    audit_record(action="plan.create", obj=plan, after=plan_snap(plan), actor=actor)
    return plan


@transaction.atomic
def plan_update(*, actor: User | None = None, plan: Plan, data: dict[str, Any]) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không sửa được.") % {"year": plan.year}, field="status"
        )
    before = plan_snap(plan)
    if "title" in data:
        plan.title = clean_text(data["title"], "title", _("Tên kế hoạch"), max_length=255)
    if "reference" in data:
        plan.reference = clean_text(
            data["reference"], "reference", _("Số, ký hiệu văn bản"), required=False, max_length=80
        )
    if "issued_on" in data:
        plan.issued_on = data["issued_on"]
    plan.save()
    after = plan_snap(plan)
    if after != before:
        audit_record(action="plan.update", obj=plan, before=before, after=after, actor=actor)
    return plan


@transaction.atomic
def plan_activate(*, actor: User | None = None, plan: Plan) -> Plan:
    """Issue the plan: from now on the units report progress on their tasks."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError(
            _("Chỉ ban hành được kế hoạch đang ở trạng thái dự thảo (hiện: %(status)s).")
            % {"status": plan.get_status_display()},
            field="status",
        )
    if not plan.tasks.exists():
        raise ServiceError(
            _("Kế hoạch chưa có nhiệm vụ nào; hãy thêm nhiệm vụ trước khi ban hành."), field="tasks"
        )
    before = plan_snap(plan)
    plan.status = PlanStatus.ACTIVE
    plan.issued_on = plan.issued_on or timezone.localdate()
    plan.save()
    audit_record(action="plan.activate", obj=plan, before=before, after=plan_snap(plan), actor=actor)
    return plan


@transaction.atomic
def plan_close(*, actor: User | None = None, plan: Plan) -> Plan:
    """End the plan's year: progress reports stop, and the province's evaluation may be entered."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ServiceError(
            _("Chỉ kết thúc được kế hoạch đang thực hiện (hiện: %(status)s).")
            % {"status": plan.get_status_display()},
            field="status",
        )
    before = plan_snap(plan)
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save()
    audit_record(action="plan.close", obj=plan, before=before, after=plan_snap(plan), actor=actor)
    return plan

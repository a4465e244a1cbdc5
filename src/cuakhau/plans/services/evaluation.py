"""The province's evaluation of a closed plan's key tasks, on three levels (completed with clear
results, completed without clear results, not completed), as it did for the Board's 2017 key tasks."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service

from ..models import Evaluation, Plan, PlanStatus, Task
from ..validation import clean_text, in_scope, plan_snap, task_snap


def _evaluable(task: Task) -> None:
    plan = task.plan
    if plan.status != PlanStatus.CLOSED:
        raise ServiceError(
            _(
                "Chưa đánh giá được: kế hoạch năm %(year)s chưa kết thúc (trạng thái: %(status)s). "
                "Hãy kết thúc kế hoạch trước khi nhập đánh giá của tỉnh."
            )
            % {"year": plan.year, "status": plan.get_status_display()},
            field="evaluation",
        )


def _level(value: str, field: str = "evaluation") -> str:
    if value not in Evaluation.values:
        raise ServiceError(
            _("Mức đánh giá phải là một trong: %(levels)s.")
            % {"levels": "; ".join(str(label) for label in Evaluation.labels)},
            field=field,
        )
    return value


@service
def task_evaluate(*, actor: User | None, task: Task, evaluation: str, note: str = "") -> Task:
    """Record the province's evaluation of one task of a closed plan, on its three levels."""
    task = in_scope(Task, actor, CHANGE, task.pk)
    _evaluable(task)
    before = task_snap(task)
    task.evaluation = _level(evaluation)
    task.evaluation_note = clean_text(note, "evaluation_note", _("Nhận xét"), required=False)
    task.evaluated_at = timezone.now()
    task.save()
    audit_record(action="plans.task.evaluate", obj=task, before=before, after=task_snap(task), actor=actor)
    return task


@service
def plan_evaluation_record(
    *,
    actor: User | None,
    plan: Plan,
    evaluations: dict[int, str],
    reference: str = "",
    evaluated_on: datetime.date | None = None,
    notes: dict[int, str] | None = None,
) -> Plan:
    """Record the province's evaluation of a closed plan's tasks at once (the evaluation arrives as
    one document): one audit event listing every task's level."""
    plan = in_scope(Plan, actor, CHANGE, plan.pk)
    tasks = {t.pk: t for t in plan.tasks.select_for_update().select_related("plan")}
    if not evaluations:
        raise ServiceError(_("Chưa chọn mức đánh giá cho nhiệm vụ nào."), field="evaluation")
    for task_id, level in evaluations.items():
        task = tasks.get(int(task_id))
        if task is None:
            raise ServiceError(
                _("Nhiệm vụ %(id)s không thuộc kế hoạch này.") % {"id": task_id}, field="evaluation"
            )
        _evaluable(task)
        _level(level, field=f"evaluation_{task.pk}")
    before = {"plan": plan_snap(plan), "tasks": {pk: tasks[int(pk)].evaluation for pk in evaluations}}
    now = timezone.now()
    for task_id, level in evaluations.items():
        task = tasks[int(task_id)]
        task.evaluation = level
        if notes and task.pk in notes:
            task.evaluation_note = clean_text(
                notes[task.pk], "evaluation_note", _("Nhận xét"), required=False
            )
        task.evaluated_at = now
        task.save(update_fields=["evaluation", "evaluation_note", "evaluated_at"])
    plan.evaluation_reference = (
        clean_text(reference, "evaluation_reference", _("Văn bản đánh giá"), required=False, max_length=120)
        or plan.evaluation_reference
    )
    plan.evaluated_on = evaluated_on or plan.evaluated_on or timezone.localdate()
    plan.save()
    audit_record(
        action="plans.plan.evaluate",
        obj=plan,
        before=before,
        after={"plan": plan_snap(plan), "tasks": {pk: level for pk, level in evaluations.items()}},
        actor=actor,
    )
    return plan

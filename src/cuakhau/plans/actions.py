"""The plans app's workflows and audit actions (core.actions).

* A plan: draft -> active (issued) -> closed (the year is over).
* A task's progress: not started -> in progress -> done, forward only; a report that keeps the
  state is a progress note (`report`). Each report leaves a ProgressUpdate with its evidence files.
* A directive's action: open -> in progress -> done or cancelled (only the Board's managers cancel);
  a report that keeps the state is a note, and a manager may move the due date (`reschedule`). Each
  step leaves an ActionUpdate.

The system (actor None: the demo loader, the CLI) may take every step.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Step, Transition, Workflow, audit_actions
from cuakhau.core.permissions import CHANGE

from .models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Plan,
    PlanStatus,
    ProgressUpdate,
    Task,
    TaskStatus,
)
from .permissions import PROGRESS
from .validation import action_snap, plan_snap, task_snap

PLAN = Workflow(
    Plan,
    "plans.plan",
    transitions=[
        Transition(
            "activate",
            _("ban hành"),
            sources={PlanStatus.DRAFT},
            target=PlanStatus.ACTIVE,
            permission=CHANGE,
            system=True,
        ),
        Transition(
            "close",
            _("kết thúc năm"),
            sources={PlanStatus.ACTIVE},
            target=PlanStatus.CLOSED,
            permission=CHANGE,
            system=True,
            confirm=_("Kết thúc năm kế hoạch? Sau đó không báo cáo tiến độ được nữa."),
        ),
    ],
    snapshot=plan_snap,
    describe=lambda plan: _("kế hoạch năm %(year)s") % {"year": plan.year},
)


def _progress_written(step: Step) -> None:
    """The task's history: one ProgressUpdate a report, with its evidence files (step.extra["files"]:
    what tasks._evidence_checked returned), and the report's facts on the audit event."""
    task, actor = step.obj, step.actor
    update = ProgressUpdate.objects.create(
        task=task,
        author=actor if actor is not None and actor.is_authenticated else None,
        unit=getattr(actor, "unit", None),
        note=step.note,
        status=task.status,
        percent=task.percent,
    )
    saved: list[Evidence] = []
    try:
        for upload, name, content_type, size, sha in step.extra.get("files", ()):
            evidence = Evidence(
                update=update, original_name=name, content_type=content_type, size=size, sha256=sha
            )
            evidence.file.save(name, upload, save=True)
            saved.append(evidence)
    except Exception:
        for evidence in saved:
            evidence.file.delete(save=False)
        raise
    step.extra["update"] = update
    step.facts.update(
        update=update.pk,
        note=step.note,
        evidence=[{"name": e.original_name, "sha256": e.sha256} for e in saved],
    )


_TASK_OPEN = {TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS}

TASK = Workflow(
    Task,
    "plans.task",
    transitions=[
        Transition(
            "start",
            _("bắt đầu thực hiện"),
            sources={TaskStatus.NOT_STARTED},
            target=TaskStatus.IN_PROGRESS,
            permission=PROGRESS,
            system=True,
        ),
        Transition(
            "complete",
            _("báo cáo hoàn thành"),
            sources=_TASK_OPEN,
            target=TaskStatus.DONE,
            permission=PROGRESS,
            system=True,
        ),
        Transition(
            "report",
            _("báo cáo tiến độ"),
            sources=set(TaskStatus.values),
            target=None,
            permission=PROGRESS,
            system=True,
        ),
    ],
    snapshot=task_snap,
    on_step=_progress_written,
    describe=lambda task: _("nhiệm vụ %(task)s") % {"task": task},
)


def _action_written(step: Step) -> None:
    """The action's history: one ActionUpdate a step, with its note."""
    actor = step.actor
    ActionUpdate.objects.create(
        action=step.obj,
        author=actor if actor is not None and actor.is_authenticated else None,
        status=step.obj.status,
        note=step.note,
    )
    step.facts.update(step.extra.get("facts", {}))


_ACTION_OPEN = {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}

ACTION = Workflow(
    Action,
    "plans.action",
    transitions=[
        Transition(
            "start",
            _("bắt đầu thực hiện"),
            sources={ActionStatus.OPEN},
            target=ActionStatus.IN_PROGRESS,
            permission=PROGRESS,
            system=True,
        ),
        Transition(
            "complete",
            _("hoàn thành"),
            sources=_ACTION_OPEN,
            target=ActionStatus.DONE,
            permission=PROGRESS,
            system=True,
        ),
        Transition(
            "cancel",
            _("hủy"),
            sources=_ACTION_OPEN,
            target=ActionStatus.CANCELLED,
            permission=CHANGE,
            system=True,
            style="danger",
        ),
        Transition(
            "report",
            _("cập nhật"),
            sources=_ACTION_OPEN,
            target=None,
            permission=PROGRESS,
            system=True,
        ),
        Transition(
            "reschedule",
            _("đổi hạn"),
            sources=_ACTION_OPEN,
            target=None,
            permission=CHANGE,
            system=True,
        ),
    ],
    snapshot=action_snap,
    on_step=_action_written,
    describe=lambda action: _("việc “%(title)s”") % {"title": action.title[:80]},
)

audit_actions.register(
    "plans",
    {
        "plans.plan.create": _("lập kế hoạch năm"),
        "plans.plan.update": _("sửa kế hoạch năm"),
        "plans.plan.evaluate": _("ghi đánh giá của tỉnh cho kế hoạch"),
        "plans.task.add": _("thêm nhiệm vụ"),
        "plans.task.update": _("sửa nhiệm vụ"),
        "plans.task.evaluate": _("ghi đánh giá của tỉnh cho nhiệm vụ"),
        "plans.indicator.add": _("thêm chỉ tiêu"),
        "plans.indicator.actual": _("nhập kết quả chỉ tiêu"),
        "plans.directive.create": _("ghi ý kiến chỉ đạo"),
        "plans.action.add": _("giao việc thực hiện chỉ đạo"),
        "plans.notification.read": _("đọc thông báo"),
        "plans.notification.remind": _("gửi nhắc hạn"),
        "plans.feedback.submit": _("gửi đánh giá phục vụ"),
    },
    legacy={
        "plan.create": "plans.plan.create",
        "plan.update": "plans.plan.update",
        "plan.activate": "plans.plan.activate",
        "plan.close": "plans.plan.close",
        "plan.evaluate": "plans.plan.evaluate",
        "plan_task.add": "plans.task.add",
        "plan_task.update": "plans.task.update",
        "plan_task.progress": "plans.task.report",
        "plan_task.evaluate": "plans.task.evaluate",
        "plan_indicator.add": "plans.indicator.add",
        "plan_indicator.actual": "plans.indicator.actual",
        "directive.create": "plans.directive.create",
        "directive_action.add": "plans.action.add",
        "directive_action.update": "plans.action.report",
        "directive_action.reschedule": "plans.action.reschedule",
        "notification.read": "plans.notification.read",
        "plans.reminders_send": "plans.notification.remind",
        "feedback.submit": "plans.feedback.submit",
    },
)

"""Writes for plans, tasks, the province's evaluation, directives and their actions, notifications and
the public's feedback. Each function is one transaction with one audit event; bad input or an illegal
transition raises ServiceError naming the field, and nothing is changed.

The life of a plan: draft -> active (issued; units report progress) -> closed (the year is over; the
province's evaluation may be entered). The province evaluates each key task on three levels
(completed with clear results, completed without clear results, not completed), as it did for the
Board's 2017 key tasks.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import EXTERNAL_ROLES, UnitKind
from cuakhau.core.vnformat import format_date
from cuakhau.core.workcal import add_working_days, working_days_between

from . import indicators
from .feedback import FeedbackSubject, sender_hash
from .models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Directive,
    Evaluation,
    Evidence,
    Feedback,
    Indicator,
    Notification,
    Plan,
    PlanStatus,
    ProgressUpdate,
    Task,
    TaskKind,
    TaskStatus,
)

# Units that may lead or cooperate on a task or an action: the Board's own units and the forces at
# the gates; not enterprises, not the province.
WORK_UNIT_KINDS = frozenset(
    {UnitKind.BOARD_LEADERSHIP, UnitKind.BOARD_DEPARTMENT, UnitKind.GATE_CENTRE, UnitKind.AGENCY}
)

# Evidence files: office documents, PDFs and photos, checked by their first bytes, not their name.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 5
_PDF, _PNG, _JPEG, _ZIP, _OLE = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
)
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", _PDF),
    "png": ("image/png", _PNG),
    "jpg": ("image/jpeg", _JPEG),
    "jpeg": ("image/jpeg", _JPEG),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
}

# Reminders go to the lead unit this many working days before a deadline, and once more when it passes.
REMIND_WORKING_DAYS = 5

MAX_COMMENT = 1000


def _text(value: Any, field: str, label: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise ServiceError(_("%(label)s không được để trống.") % {"label": label}, field=field)
    if max_length and len(value) > max_length:
        raise ServiceError(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": max_length}, field=field
        )
    return value


def _work_unit(unit: Unit | None, field: str) -> Unit:
    if unit is None:
        raise ServiceError(_("Cần chọn đơn vị chủ trì."), field=field)
    if unit.kind not in WORK_UNIT_KINDS or not unit.is_active:
        raise ServiceError(
            _("Đơn vị %(unit)s không thể chủ trì hay phối hợp nhiệm vụ của Ban.") % {"unit": unit.name},
            field=field,
        )
    return unit


def _cooperating(units: Iterable[Unit] | None, lead: Unit, field: str = "cooperating_units") -> list[Unit]:
    result = []
    for unit in units or ():
        _work_unit(unit, field)
        if unit.pk == lead.pk:
            raise ServiceError(
                _("Đơn vị %(unit)s đã là đơn vị chủ trì, không ghi thêm là đơn vị phối hợp.")
                % {"unit": unit.name},
                field=field,
            )
        if unit not in result:
            result.append(unit)
    return result


def _decimal(value: Any, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ServiceError(_("%(label)s không được để trống.") % {"label": label}, field=field)
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ServiceError(_("%(label)s phải là một số.") % {"label": label}, field=field) from exc
    if not number.is_finite() or number < 0 or number >= Decimal("1e15"):
        raise ServiceError(_("%(label)s phải là số không âm.") % {"label": label}, field=field)
    return number.quantize(Decimal("0.001"))


def _plan_snap(plan: Plan) -> dict:
    return snapshot(plan)


def _task_snap(task: Task) -> dict:
    data = snapshot(task)
    if task.pk:
        data["cooperating_units"] = sorted(task.cooperating_units.values_list("pk", flat=True))
    return data


def _action_snap(action: Action) -> dict:
    data = snapshot(action)
    if action.pk:
        data["cooperating_units"] = sorted(action.cooperating_units.values_list("pk", flat=True))
    return data


def _state_label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


# --- plans --------------------------------------------------------------------------------------------


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
    title = _text(title, "title", _("Tên kế hoạch"), required=False, max_length=255) or _(
        "Kế hoạch công tác năm %(year)s"
    ) % {"year": year}
    plan = Plan.objects.create(
        year=year,
        title=title,
        reference=_text(reference, "reference", _("Số, ký hiệu văn bản"), required=False, max_length=80),
        issued_on=issued_on,
    )
    audit_record(action="plan.create", obj=plan, after=_plan_snap(plan), actor=actor)
    return plan


@transaction.atomic
def plan_update(*, actor: User | None = None, plan: Plan, data: dict[str, Any]) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không sửa được.") % {"year": plan.year}, field="status"
        )
    before = _plan_snap(plan)
    if "title" in data:
        plan.title = _text(data["title"], "title", _("Tên kế hoạch"), max_length=255)
    if "reference" in data:
        plan.reference = _text(
            data["reference"], "reference", _("Số, ký hiệu văn bản"), required=False, max_length=80
        )
    if "issued_on" in data:
        plan.issued_on = data["issued_on"]
    plan.save()
    after = _plan_snap(plan)
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
    before = _plan_snap(plan)
    plan.status = PlanStatus.ACTIVE
    plan.issued_on = plan.issued_on or timezone.localdate()
    plan.save()
    audit_record(action="plan.activate", obj=plan, before=before, after=_plan_snap(plan), actor=actor)
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
    before = _plan_snap(plan)
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save()
    audit_record(action="plan.close", obj=plan, before=before, after=_plan_snap(plan), actor=actor)
    return plan


# --- tasks --------------------------------------------------------------------------------------------


def _deadline(plan: Plan, deadline) -> datetime.date | None:
    if deadline in (None, ""):
        return None
    if not isinstance(deadline, datetime.date):
        raise ServiceError(_("Thời hạn phải là một ngày (dd/mm/yyyy)."), field="deadline")
    if deadline.year < plan.year:
        raise ServiceError(
            _("Thời hạn %(date)s trước năm của kế hoạch (%(year)s).")
            % {"date": format_date(deadline), "year": plan.year},
            field="deadline",
        )
    return deadline


@transaction.atomic
def task_add(
    *,
    actor: User | None = None,
    plan: Plan,
    title: str,
    lead_unit: Unit,
    kind: str = TaskKind.KEY,
    description: str = "",
    cooperating_units: Iterable[Unit] = (),
    deadline: datetime.date | None = None,
    number: int | None = None,
) -> Task:
    """Add a key task or a task-and-solution to a plan that is not closed."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không thêm nhiệm vụ được.") % {"year": plan.year},
            field="plan",
        )
    if kind not in TaskKind.values:
        raise ServiceError(_("Loại nhiệm vụ không hợp lệ."), field="kind")
    lead_unit = _work_unit(lead_unit, "lead_unit")
    coop = _cooperating(cooperating_units, lead_unit)
    if number is None:
        number = (plan.tasks.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
    elif plan.tasks.filter(kind=kind, number=number).exists():
        raise ServiceError(_("Số thứ tự %(n)s đã có trong kế hoạch.") % {"n": number}, field="number")
    task = Task.objects.create(
        plan=plan,
        kind=kind,
        number=number,
        title=_text(title, "title", _("Tên nhiệm vụ"), max_length=500),
        description=_text(description, "description", _("Nội dung"), required=False),
        lead_unit=lead_unit,
        deadline=_deadline(plan, deadline),
    )
    task.cooperating_units.set(coop)
    audit_record(action="plan_task.add", obj=task, after=_task_snap(task), actor=actor)
    return task


@transaction.atomic
def task_update(*, actor: User | None = None, task: Task, data: dict[str, Any]) -> Task:
    """Change a task's wording, units or deadline while its plan is not closed."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không sửa nhiệm vụ được.") % {"year": task.plan.year},
            field="plan",
        )
    before = _task_snap(task)
    if "title" in data:
        task.title = _text(data["title"], "title", _("Tên nhiệm vụ"), max_length=500)
    if "description" in data:
        task.description = _text(data["description"], "description", _("Nội dung"), required=False)
    if "lead_unit" in data:
        task.lead_unit = _work_unit(data["lead_unit"], "lead_unit")
    if "deadline" in data:
        task.deadline = _deadline(task.plan, data["deadline"])
    if "cooperating_units" in data:
        task.cooperating_units.set(_cooperating(data["cooperating_units"], task.lead_unit))
    elif "lead_unit" in data:
        task.cooperating_units.remove(task.lead_unit)
    task.save()
    after = _task_snap(task)
    if after != before:
        audit_record(action="plan_task.update", obj=task, before=before, after=after, actor=actor)
    return task


def _evidence_checked(files) -> list[tuple[Any, str, str, int, str]]:
    """(file, safe original name, content type, size, sha256) for each upload, or ServiceError."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_EVIDENCE_FILES:
        raise ServiceError(
            _("Mỗi lần báo cáo đính kèm tối đa %(n)s tệp.") % {"n": MAX_EVIDENCE_FILES}, field="files"
        )
    checked = []
    for upload in files:
        name = (getattr(upload, "name", "") or "tep").replace("\\", "/").rsplit("/", 1)[-1][:200]
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in EVIDENCE_TYPES:
            raise ServiceError(
                _("Tệp %(name)s: chỉ nhận PDF, Word, Excel, ảnh JPEG hoặc PNG.") % {"name": name},
                field="files",
            )
        size = upload.size
        if size > MAX_EVIDENCE_BYTES:
            raise ServiceError(
                _("Tệp %(name)s lớn quá %(mb)s MB.")
                % {"name": name, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
                field="files",
            )
        if size == 0:
            raise ServiceError(_("Tệp %(name)s rỗng.") % {"name": name}, field="files")
        content_type, magic = EVIDENCE_TYPES[suffix]
        upload.seek(0)
        digest = hashlib.sha256()
        head = b""
        for chunk in upload.chunks():
            if not head:
                head = chunk[:16]
            digest.update(chunk)
        upload.seek(0)
        if not head.startswith(magic):
            raise ServiceError(
                _("Tệp %(name)s không đúng định dạng %(kind)s.") % {"name": name, "kind": suffix.upper()},
                field="files",
            )
        checked.append((upload, name, content_type, size, digest.hexdigest()))
    return checked


_TASK_ORDER = {TaskStatus.NOT_STARTED: 0, TaskStatus.IN_PROGRESS: 1, TaskStatus.DONE: 2}


@transaction.atomic
def task_report_progress(
    *,
    actor: User | None = None,
    task: Task,
    note: str,
    status: str | None = None,
    percent: int | None = None,
    files=(),
) -> ProgressUpdate:
    """A unit reports progress on a task of an issued plan, with evidence files. Progress only moves
    forward (not started -> in progress -> done); a task reported done keeps taking notes and evidence
    until the year is closed."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    plan = task.plan
    if plan.status == PlanStatus.DRAFT:
        raise ServiceError(
            _("Kế hoạch năm %(year)s chưa được ban hành; chưa báo cáo tiến độ được.") % {"year": plan.year},
            field="status",
        )
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không báo cáo tiến độ được nữa.") % {"year": plan.year},
            field="status",
        )
    note = _text(note, "note", _("Nội dung báo cáo"))
    status = status or (TaskStatus.IN_PROGRESS if task.status == TaskStatus.NOT_STARTED else task.status)
    if status not in TaskStatus.values:
        raise ServiceError(_("Tiến độ không hợp lệ."), field="status")
    if _TASK_ORDER[status] < _TASK_ORDER[task.status]:
        raise ServiceError(
            _("Tiến độ không lùi được: nhiệm vụ đang ở mức “%(now)s”, không chuyển về “%(new)s”.")
            % {"now": task.get_status_display(), "new": _state_label(TaskStatus, status)},
            field="status",
        )
    if percent in (None, ""):
        percent = 100 if status == TaskStatus.DONE else task.percent
    try:
        percent = int(percent)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100."), field="percent") from exc
    if not 0 <= percent <= 100:
        raise ServiceError(_("Tỷ lệ hoàn thành phải từ 0 đến 100."), field="percent")
    if status == TaskStatus.DONE and percent != 100:
        raise ServiceError(_("Nhiệm vụ báo cáo hoàn thành thì tỷ lệ phải là 100%."), field="percent")
    if status != TaskStatus.DONE and percent == 100:
        raise ServiceError(
            _("Tỷ lệ 100% nghĩa là đã hoàn thành: hãy chọn tiến độ “Đã báo cáo hoàn thành”."), field="percent"
        )
    checked = _evidence_checked(files)
    before = _task_snap(task)
    task.status = status
    task.percent = percent
    if status == TaskStatus.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    task.save()
    update = ProgressUpdate.objects.create(
        task=task,
        author=actor if actor is not None and actor.is_authenticated else None,
        unit=getattr(actor, "unit", None),
        note=note,
        status=status,
        percent=percent,
    )
    saved = []
    try:
        for upload, name, content_type, size, sha in checked:
            evidence = Evidence(
                update=update, original_name=name, content_type=content_type, size=size, sha256=sha
            )
            evidence.file.save(name, upload, save=True)
            saved.append(evidence)
    except Exception:
        for evidence in saved:
            evidence.file.delete(save=False)
        raise

    audit_record(
        action="plan_task.progress",
        obj=task,
        before=before,
        after=_task_snap(task)
        | {
            "update": update.pk,
            "note": note,
            "evidence": [{"name": e.original_name, "sha256": e.sha256} for e in saved],
        },
        actor=actor,
    )
    return update


# --- indicators ---------------------------------------------------------------------------------------


@transaction.atomic
def indicator_add(
    *,
    actor: User | None = None,
    task: Task,
    name: str = "",
    target,
    measure: str = "",
    statistic_key: str = "",
    statistic_year: int | None = None,
    actual_entered=None,
    actual_source: str = "",
) -> Indicator:
    """A target for a task. Linked to a statistic, it takes the statistic's unit and, where an app
    provides the statistic, its actual value (see indicators.py)."""
    task = Task.objects.select_related("plan").get(pk=task.pk)
    if task.plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không thêm chỉ tiêu được.") % {"year": task.plan.year},
            field="plan",
        )
    statistic_key = (statistic_key or "").strip()
    stat = None
    if statistic_key:
        stat = indicators.statistic(statistic_key)
        if stat is None:
            raise ServiceError(
                _("Không có số liệu thống kê “%(key)s”.") % {"key": statistic_key}, field="statistic_key"
            )
    name = _text(name, "name", _("Tên chỉ tiêu"), required=stat is None, max_length=255) or str(stat.label)
    measure = _text(measure, "measure", _("Đơn vị tính"), required=False, max_length=40)
    if stat is not None:
        measure = str(stat.measure)
    if statistic_year in (None, ""):
        statistic_year = task.plan.year if stat else None
    indicator = Indicator.objects.create(
        task=task,
        name=name,
        measure=measure,
        target=_decimal(target, "target", _("Chỉ tiêu kế hoạch")),
        statistic_key=statistic_key,
        statistic_year=statistic_year,
        actual_entered=_decimal(actual_entered, "actual_entered", _("Kết quả"), required=False),
        actual_source=_text(
            actual_source, "actual_source", _("Nguồn số liệu"), required=False, max_length=255
        ),
    )
    audit_record(action="plan_indicator.add", obj=indicator, after=snapshot(indicator), actor=actor)
    return indicator


@transaction.atomic
def indicator_record_actual(
    *, actor: User | None = None, indicator: Indicator, actual, source: str = ""
) -> Indicator:
    """Enter an indicator's actual value by hand (a statistic with a provider takes the provider's)."""
    indicator = Indicator.objects.select_for_update().select_related("task__plan").get(pk=indicator.pk)
    if indicator.statistic_key and indicators.has_provider(indicator.statistic_key):
        raise ServiceError(
            _("Chỉ tiêu này lấy kết quả từ số liệu thống kê; không nhập tay được."), field="actual_entered"
        )
    before = snapshot(indicator)
    indicator.actual_entered = _decimal(actual, "actual_entered", _("Kết quả"))
    indicator.actual_source = _text(
        source, "actual_source", _("Nguồn số liệu"), required=False, max_length=255
    )
    indicator.save()
    audit_record(
        action="plan_indicator.actual", obj=indicator, before=before, after=snapshot(indicator), actor=actor
    )
    return indicator


# --- the province's evaluation --------------------------------------------------------------------------


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


@transaction.atomic
def task_evaluate(*, actor: User | None = None, task: Task, evaluation: str, note: str = "") -> Task:
    """Record the province's evaluation of one task of a closed plan, on its three levels."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _evaluable(task)
    before = _task_snap(task)
    task.evaluation = _level(evaluation)
    task.evaluation_note = _text(note, "evaluation_note", _("Nhận xét"), required=False)
    task.evaluated_at = timezone.now()
    task.save()
    audit_record(action="plan_task.evaluate", obj=task, before=before, after=_task_snap(task), actor=actor)
    return task


@transaction.atomic
def plan_evaluation_record(
    *,
    actor: User | None = None,
    plan: Plan,
    evaluations: dict[int, str],
    reference: str = "",
    evaluated_on: datetime.date | None = None,
    notes: dict[int, str] | None = None,
) -> Plan:
    """Record the province's evaluation of a closed plan's tasks at once (the evaluation arrives as
    one document): one audit event listing every task's level."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
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
    before = {"plan": _plan_snap(plan), "tasks": {pk: tasks[int(pk)].evaluation for pk in evaluations}}
    now = timezone.now()
    for task_id, level in evaluations.items():
        task = tasks[int(task_id)]
        task.evaluation = level
        if notes and task.pk in notes:
            task.evaluation_note = _text(notes[task.pk], "evaluation_note", _("Nhận xét"), required=False)
        task.evaluated_at = now
        task.save(update_fields=["evaluation", "evaluation_note", "evaluated_at"])
    plan.evaluation_reference = (
        _text(reference, "evaluation_reference", _("Văn bản đánh giá"), required=False, max_length=120)
        or plan.evaluation_reference
    )
    plan.evaluated_on = evaluated_on or plan.evaluated_on or timezone.localdate()
    plan.save()
    audit_record(
        action="plan.evaluate",
        obj=plan,
        before=before,
        after={"plan": _plan_snap(plan), "tasks": {pk: level for pk, level in evaluations.items()}},
        actor=actor,
    )
    return plan


# --- directives and their actions ------------------------------------------------------------------------


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
        leader=_text(leader, "leader", _("Người chỉ đạo"), max_length=150),
        leader_title=_text(leader_title, "leader_title", _("Chức vụ"), required=False, max_length=255),
        given_on=given_on,
        meeting=_text(meeting, "meeting", _("Cuộc họp"), required=False, max_length=255),
        reference=_text(reference, "reference", _("Văn bản truyền đạt"), required=False, max_length=120),
        text=_text(text, "text", _("Nội dung chỉ đạo")),
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
    owner_unit = _work_unit(owner_unit, "owner_unit")
    coop = _cooperating(cooperating_units, owner_unit)
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
        title=_text(title, "title", _("Việc cần làm"), max_length=500),
        owner_unit=owner_unit,
        due_date=due_date,
    )
    action.cooperating_units.set(coop)
    audit_record(action="directive_action.add", obj=action, after=_action_snap(action), actor=actor)
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
            % {"now": action.get_status_display(), "new": _state_label(ActionStatus, status)},
            field="status",
        )
    if status == ActionStatus.CANCELLED and not may_cancel:
        raise ServiceError(_("Chỉ lãnh đạo Ban và phòng chuyên môn được hủy việc."), field="status")
    note = _text(note, "note", _("Nội dung cập nhật"))
    result = _text(result, "result", _("Kết quả"), required=False)
    if status == ActionStatus.DONE and not result:
        raise ServiceError(_("Việc đã hoàn thành cần ghi kết quả."), field="result")
    if completed_on is not None and completed_on > timezone.localdate():
        raise ServiceError(_("Ngày hoàn thành không thể ở tương lai."), field="completed_on")
    before = _action_snap(action)
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
        after=_action_snap(action) | {"note": note},
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
    reason = _text(reason, "reason", _("Lý do đổi hạn"))
    before = _action_snap(action)
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
        after=_action_snap(action) | {"reason": reason},
        actor=actor,
    )
    return action


# --- notifications and reminders ------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor: User, notifications) -> int:
    """Mark the user's own notifications read."""
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
        action="notification.read",
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


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the lead unit's staff of a task or an action whose deadline falls within
    REMIND_WORKING_DAYS working days (Civil Code Art. 147: counted in working days after today), and
    once more when it has passed. Each reminder goes once per person and deadline (a changed deadline
    is a new reminder). Runs from the `send_deadline_reminders` task or `cuakhau plans remind`."""
    from django.urls import reverse

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
            action="plans.reminders_send",
            object_type="plans.notification",
            object_repr=f"{len(new)} nhắc hạn",
            after=counts | {"today": today, "keys": sorted({n.key for n in new})},
        )
    return counts


# --- feedback on staff ----------------------------------------------------------------------------------


def feedback_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "FEEDBACK_RATE_LIMIT", 5)),
        int(getattr(settings, "FEEDBACK_RATE_WINDOW_SECONDS", 3600)),
    )


@transaction.atomic
def feedback_submit(
    *, subject: FeedbackSubject, rating: Any, comment: str = "", client_ip: str | None = None
) -> Feedback:
    """A citizen's or enterprise's rating (1-5, with a comment) of the service named by a signed link.
    No login; at most FEEDBACK_RATE_LIMIT ratings from one address per window; one per subject."""
    try:
        rating = int(rating)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Hãy chọn mức hài lòng từ 1 đến 5 sao."), field="rating") from exc
    if not 1 <= rating <= 5:
        raise ServiceError(_("Mức hài lòng phải từ 1 đến 5 sao."), field="rating")
    comment = _text(comment, "comment", _("Ý kiến"), required=False, max_length=MAX_COMMENT)
    unit = Unit.objects.filter(pk=subject.unit_id, is_active=True).first()
    if unit is None:
        raise ServiceError(_("Liên kết đánh giá không còn hiệu lực."), field="token", status=404)
    staff = User.objects.filter(pk=subject.staff_id).first() if subject.staff_id else None
    sender = sender_hash(client_ip)
    limit, window = feedback_limit()
    if sender:
        since = timezone.now() - datetime.timedelta(seconds=window)
        if Feedback.objects.filter(sender_hash=sender, submitted_at__gte=since).count() >= limit:
            raise ServiceError(
                _(
                    "Bạn đã gửi quá nhiều đánh giá trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút."
                )
                % {"minutes": window // 60},
                field="rating",
                status=429,
            )
    if Feedback.objects.filter(
        subject_type=subject.subject_type, subject_id=subject.subject_id, unit=unit
    ).exists():
        raise ServiceError(_("Việc này đã được đánh giá. Cảm ơn bạn."), field="token", status=409)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                subject_type=subject.subject_type,
                subject_id=subject.subject_id,
                unit=unit,
                staff=staff,
                rating=rating,
                comment=comment,
                sender_hash=sender,
            )
    except IntegrityError as exc:  # two submissions of one link at the same moment
        raise ServiceError(_("Việc này đã được đánh giá. Cảm ơn bạn."), field="token", status=409) from exc
    audit_record(
        action="feedback.submit",
        obj=feedback,
        after={
            "subject_type": feedback.subject_type,
            "subject_id": feedback.subject_id,
            "unit_id": unit.pk,
            "staff_id": staff.pk if staff else None,
            "rating": rating,
            "comment_length": len(comment),
        },
        unit=unit,
    )
    return feedback

"""Key tasks of a plan, the units' progress reports with their evidence files, and the tasks'
indicators."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import uploads
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service
from cuakhau.core.vnformat import format_date

from .. import indicators
from ..actions import TASK
from ..models import Indicator, Plan, PlanStatus, ProgressUpdate, Task, TaskKind, TaskStatus
from ..validation import (
    UNCHANGED,
    clean_text,
    cooperating,
    decimal_value,
    in_scope,
    state_label,
    task_snap,
    work_unit,
)

# Evidence files: office documents, PDFs and photos, checked by their first bytes, not their name.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 5
EVIDENCE_TYPES = uploads.file_types("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "doc", "xls")


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


@service
def task_add(
    *,
    actor: User | None,
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
    plan = in_scope(Plan, actor, CHANGE, plan.pk)
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không thêm nhiệm vụ được.") % {"year": plan.year},
            field="plan",
        )
    if kind not in TaskKind.values:
        raise ServiceError(_("Loại nhiệm vụ không hợp lệ."), field="kind")
    lead_unit = work_unit(lead_unit, "lead_unit")
    coop = cooperating(cooperating_units, lead_unit)
    if number is None:
        number = (plan.tasks.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
    elif plan.tasks.filter(kind=kind, number=number).exists():
        raise ServiceError(_("Số thứ tự %(n)s đã có trong kế hoạch.") % {"n": number}, field="number")
    task = Task.objects.create(
        plan=plan,
        kind=kind,
        number=number,
        title=clean_text(title, "title", _("Tên nhiệm vụ"), max_length=500),
        description=clean_text(description, "description", _("Nội dung"), required=False),
        lead_unit=lead_unit,
        deadline=_deadline(plan, deadline),
    )
    task.cooperating_units.set(coop)
    audit_record(action="plans.task.add", obj=task, after=task_snap(task), actor=actor)
    return task


@service
def task_update(
    *,
    actor: User | None,
    task: Task,
    title: str = UNCHANGED,
    description: str = UNCHANGED,
    lead_unit: Unit = UNCHANGED,
    deadline: datetime.date | None = UNCHANGED,
    cooperating_units: Iterable[Unit] = UNCHANGED,
) -> Task:
    """Change a task's wording, units or deadline (those given) while its plan is not closed."""
    task = in_scope(Task, actor, CHANGE, task.pk)
    if task.plan.status == PlanStatus.CLOSED:
        raise ServiceError(
            _("Kế hoạch năm %(year)s đã kết thúc; không sửa nhiệm vụ được.") % {"year": task.plan.year},
            field="plan",
        )
    before = task_snap(task)
    if title is not UNCHANGED:
        task.title = clean_text(title, "title", _("Tên nhiệm vụ"), max_length=500)
    if description is not UNCHANGED:
        task.description = clean_text(description, "description", _("Nội dung"), required=False)
    if lead_unit is not UNCHANGED:
        task.lead_unit = work_unit(lead_unit, "lead_unit")
    if deadline is not UNCHANGED:
        task.deadline = _deadline(task.plan, deadline)
    if cooperating_units is not UNCHANGED:
        task.cooperating_units.set(cooperating(cooperating_units, task.lead_unit))
    elif lead_unit is not UNCHANGED:
        task.cooperating_units.remove(task.lead_unit)
    task.save()
    after = task_snap(task)
    if after != before:
        audit_record(action="plans.task.update", obj=task, before=before, after=after, actor=actor)
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
        suffix = uploads.extension(name)
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
        content_type, signatures = EVIDENCE_TYPES[suffix]
        upload.seek(0)
        digest = hashlib.sha256()
        head = b""
        for chunk in upload.chunks():
            if not head:
                head = chunk[:16]
            digest.update(chunk)
        upload.seek(0)
        if not uploads.has_signature(head, signatures):
            raise ServiceError(
                _("Tệp %(name)s không đúng định dạng %(kind)s.") % {"name": name, "kind": suffix.upper()},
                field="files",
            )
        checked.append((upload, name, content_type, size, digest.hexdigest()))
    return checked


_TASK_ORDER = {TaskStatus.NOT_STARTED: 0, TaskStatus.IN_PROGRESS: 1, TaskStatus.DONE: 2}


def _progress_step(task: Task, status: str) -> str:
    """The TASK step a report asking for `status` takes (progress only moves forward)."""
    if status not in TaskStatus.values:
        raise ServiceError(_("Tiến độ không hợp lệ."), field="status")
    if _TASK_ORDER[status] < _TASK_ORDER[task.status]:
        raise ServiceError(
            _("Tiến độ không lùi được: nhiệm vụ đang ở mức “%(now)s”, không chuyển về “%(new)s”.")
            % {"now": task.get_status_display(), "new": state_label(TaskStatus, status)},
            field="status",
        )
    if status == task.status:
        return "report"
    return "complete" if status == TaskStatus.DONE else "start"


def _percent(task: Task, status: str, percent: Any) -> int:
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
    return percent


@service
def task_report_progress(
    *,
    actor: User | None,
    task: Task,
    note: str,
    status: str | None = None,
    percent: int | None = None,
    files=(),
) -> ProgressUpdate:
    """A unit reports progress on a task of an issued plan, with evidence files. Progress only moves
    forward (not started -> in progress -> done: the TASK workflow's steps); a task reported done
    keeps taking notes and evidence until the year is closed."""
    current = Task.objects.select_related("plan").get(pk=task.pk)
    status = status or (
        TaskStatus.IN_PROGRESS if current.status == TaskStatus.NOT_STARTED else current.status
    )
    name = _progress_step(current, status)
    with TASK.step(actor, current, name, note="") as step:
        task = step.obj
        plan = task.plan
        if plan.status == PlanStatus.DRAFT:
            raise ServiceError(
                _("Kế hoạch năm %(year)s chưa được ban hành; chưa báo cáo tiến độ được.")
                % {"year": plan.year},
                field="status",
            )
        if plan.status == PlanStatus.CLOSED:
            raise ServiceError(
                _("Kế hoạch năm %(year)s đã kết thúc; không báo cáo tiến độ được nữa.") % {"year": plan.year},
                field="status",
            )
        step.note = clean_text(note, "note", _("Nội dung báo cáo"))
        task.percent = _percent(task, status, percent)
        step.extra["files"] = _evidence_checked(files)
        if status == TaskStatus.DONE and task.completed_on is None:
            task.completed_on = timezone.localdate()
    return step.extra["update"]


# --- indicators ---------------------------------------------------------------------------------------


@service
def indicator_add(
    *,
    actor: User | None,
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
    task = in_scope(Task, actor, CHANGE, task.pk)
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
    name = clean_text(name, "name", _("Tên chỉ tiêu"), required=stat is None, max_length=255)
    name = name or str(stat.label)
    measure = clean_text(measure, "measure", _("Đơn vị tính"), required=False, max_length=40)
    if stat is not None:
        measure = str(stat.measure)
    if statistic_year in (None, ""):
        statistic_year = task.plan.year if stat else None
    indicator = Indicator.objects.create(
        task=task,
        name=name,
        measure=measure,
        target=decimal_value(target, "target", _("Chỉ tiêu kế hoạch")),
        statistic_key=statistic_key,
        statistic_year=statistic_year,
        actual_entered=decimal_value(actual_entered, "actual_entered", _("Kết quả"), required=False),
        actual_source=clean_text(
            actual_source, "actual_source", _("Nguồn số liệu"), required=False, max_length=255
        ),
    )
    audit_record(action="plans.indicator.add", obj=indicator, after=snapshot(indicator), actor=actor)
    return indicator


@service
def indicator_record_actual(
    *, actor: User | None, indicator: Indicator, actual, source: str = ""
) -> Indicator:
    """Enter an indicator's actual value by hand (a statistic with a provider takes the provider's)."""
    in_scope(Task, actor, CHANGE, indicator.task_id)
    indicator = Indicator.objects.select_for_update().select_related("task__plan").get(pk=indicator.pk)
    if indicator.statistic_key and indicators.has_provider(indicator.statistic_key):
        raise ServiceError(
            _("Chỉ tiêu này lấy kết quả từ số liệu thống kê; không nhập tay được."), field="actual_entered"
        )
    before = snapshot(indicator)
    indicator.actual_entered = decimal_value(actual, "actual_entered", _("Kết quả"))
    indicator.actual_source = clean_text(
        source, "actual_source", _("Nguồn số liệu"), required=False, max_length=255
    )
    indicator.save()
    audit_record(
        action="plans.indicator.actual", obj=indicator, before=before, after=snapshot(indicator), actor=actor
    )
    return indicator

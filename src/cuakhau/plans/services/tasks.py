"""Key tasks of a plan, the units' progress reports with their evidence files, and the tasks'
indicators."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import uploads
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.vnformat import format_date

from .. import indicators
from ..models import Evidence, Indicator, Plan, PlanStatus, ProgressUpdate, Task, TaskKind, TaskStatus
from .validation import clean_text, cooperating, decimal_value, state_label, task_snap, work_unit

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
    audit_record(action="plan_task.add", obj=task, after=task_snap(task), actor=actor)
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
    before = task_snap(task)
    if "title" in data:
        task.title = clean_text(data["title"], "title", _("Tên nhiệm vụ"), max_length=500)
    if "description" in data:
        task.description = clean_text(data["description"], "description", _("Nội dung"), required=False)
    if "lead_unit" in data:
        task.lead_unit = work_unit(data["lead_unit"], "lead_unit")
    if "deadline" in data:
        task.deadline = _deadline(task.plan, data["deadline"])
    if "cooperating_units" in data:
        task.cooperating_units.set(cooperating(data["cooperating_units"], task.lead_unit))
    elif "lead_unit" in data:
        task.cooperating_units.remove(task.lead_unit)
    task.save()
    after = task_snap(task)
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
    note = clean_text(note, "note", _("Nội dung báo cáo"))
    status = status or (TaskStatus.IN_PROGRESS if task.status == TaskStatus.NOT_STARTED else task.status)
    if status not in TaskStatus.values:
        raise ServiceError(_("Tiến độ không hợp lệ."), field="status")
    if _TASK_ORDER[status] < _TASK_ORDER[task.status]:
        raise ServiceError(
            _("Tiến độ không lùi được: nhiệm vụ đang ở mức “%(now)s”, không chuyển về “%(new)s”.")
            % {"now": task.get_status_display(), "new": state_label(TaskStatus, status)},
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
    before = task_snap(task)
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
        after=task_snap(task)
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
    indicator.actual_entered = decimal_value(actual, "actual_entered", _("Kết quả"))
    indicator.actual_source = clean_text(
        source, "actual_source", _("Nguồn số liệu"), required=False, max_length=255
    )
    indicator.save()
    audit_record(
        action="plan_indicator.actual", obj=indicator, before=before, after=snapshot(indicator), actor=actor
    )
    return indicator

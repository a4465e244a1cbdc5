"""Pages for tasks: their detail, edits, progress reports with evidence, and indicators."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core import uploads
from cuakhau.core.permissions import CHANGE, VIEW
from cuakhau.core.views.forms import submit

from .. import selectors, services
from ..forms import (
    IndicatorForm,
    ProgressForm,
    TaskForm,
)
from ..models import (
    Evidence,
    Task,
    TaskKind,
)
from ..permissions import PROGRESS, is_manager, may_report_progress
from .base import form_page, manager_page, module_page


@manager_page
def task_create(request, year):
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    form = TaskForm(request.POST or None, initial={"kind": request.GET.get("kind", TaskKind.KEY)})
    task = submit(request, form, lambda data: services.task_add(actor=request.user, plan=plan, **data))
    if task:
        messages.success(request, _("Đã thêm nhiệm vụ %(task)s.") % {"task": task})
        return redirect("plans:plan_detail", year=plan.year)
    return form_page(
        request,
        form,
        _("Thêm nhiệm vụ vào %(title)s") % {"title": plan.title},
        reverse("plans:plan_detail", args=[year]),
    )


def _upload_limits() -> dict:
    return {
        "accept": ",".join(f".{suffix}" for suffix in services.EVIDENCE_TYPES),
        "max_mb": services.MAX_EVIDENCE_BYTES // (1024 * 1024),
        "max_files": services.MAX_EVIDENCE_FILES,
    }


def _task_page(request, task, *, progress_form=None, status=200):
    may_report = may_report_progress(request.user, task)
    if may_report and progress_form is None:
        progress_form = ProgressForm(
            initial={"status": task.status, "percent": task.percent}, **_upload_limits()
        )
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "indicators": selectors.indicator_rows(task.indicators.select_related("task__plan")),
            "updates": selectors.task_updates(task=task),
            "progress_form": progress_form,
            "can_manage": is_manager(request.user),
            "overdue": task.is_overdue(),
        },
        status=status,
    )


@module_page
def task_detail(request, pk):
    return _task_page(request, selectors.task_detail(user=request.user, pk=pk))


@manager_page
def task_edit(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk, action=CHANGE)
    initial = {
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit,
        "cooperating_units": list(task.cooperating_units.all()),
        "deadline": task.deadline,
    }
    form = TaskForm(request.POST or None, initial=initial, editing=True)
    if submit(request, form, lambda data: services.task_update(actor=request.user, task=task, **data)):
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("plans:task_detail", pk=task.pk)
    return form_page(request, form, _("Sửa nhiệm vụ"), reverse("plans:task_detail", args=[pk]))


@module_page
@require_POST
def task_progress(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk, action=PROGRESS)
    form = ProgressForm(request.POST, request.FILES, **_upload_limits())
    if submit(
        request, form, lambda data: services.task_report_progress(actor=request.user, task=task, **data)
    ):
        messages.success(request, _("Đã ghi báo cáo tiến độ."))
        return redirect("plans:task_detail", pk=task.pk)
    return _task_page(request, task, progress_form=form, status=400)


@manager_page
def indicator_create(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk, action=CHANGE)
    form = IndicatorForm(request.POST or None)
    if submit(request, form, lambda data: services.indicator_add(actor=request.user, task=task, **data)):
        messages.success(request, _("Đã thêm chỉ tiêu."))
        return redirect("plans:task_detail", pk=task.pk)
    return form_page(request, form, _("Thêm chỉ tiêu cho nhiệm vụ"), reverse("plans:task_detail", args=[pk]))


@module_page
def evidence_download(request, pk):
    """A progress report's file, only once its task is in the user's scope (404 otherwise)."""
    evidence = get_object_or_404(
        Evidence.objects.filter(update__task__in=Task.objects.for_user(request.user, VIEW)), pk=pk
    )
    return uploads.stored_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )

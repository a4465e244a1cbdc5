"""Report pages: list and draft, read and edit the draft, issue, download .docx/.pdf/.md. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404

from . import documents, services
from .forms import DraftForm, EditForm, IssueForm
from .models import Report
from .permissions import issues, reads, writes


def _errors(form, exc: ServiceError):
    for field, errs in exc.message_dict.items():
        for e in errs:
            form.add_error(field if field in form.fields else None, e)


@login_required
def report_list(request):
    if not reads(request.user):
        raise Http404
    form = DraftForm(request.POST or None, initial={"year": 2017}) if writes(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                report = services.report_draft(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Đã lập dự thảo %(r)s từ số liệu.") % {"r": report})
                return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/list.html",
        {
            # newest period first, whatever its kind (a month of March before the second quarter)
            "reports": sorted(
                Report.objects.for_user(request.user), key=lambda r: (r.period.end, r.kind), reverse=True
            ),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def report_detail(request, pk):
    if not reads(request.user):
        raise Http404
    report = get_for_user_or_404(Report, request.user, pk=pk)
    edit = (
        EditForm(request.POST or None, instance=report)
        if writes(request.user) and not report.is_issued
        else None
    )
    if request.method == "POST":
        if edit is None:
            raise Http404
        if edit.is_valid():
            try:
                services.report_update(actor=request.user, report=report, **edit.cleaned_data)
            except ServiceError as exc:
                _errors(edit, exc)
            else:
                messages.success(request, _("Đã lưu dự thảo."))
                return redirect("reports:detail", pk=report.pk)
        report.refresh_from_db()
    doc = documents.build(report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "doc": doc,
            "edit": edit,
            "issue": IssueForm(initial={"signer_name": report.signer_name})
            if issues(request.user) and not report.is_issued
            else None,
        },
        status=400 if edit is not None and edit.errors else 200,
    )


@login_required
@require_POST
def report_refresh(request, pk):
    if not writes(request.user):
        raise Http404
    report = get_for_user_or_404(Report, request.user, pk=pk)
    try:
        services.report_refresh(report=report, actor=request.user)
        messages.success(request, _("Đã tính lại số liệu và đoạn văn lập từ số liệu."))
    except ServiceError as exc:
        messages.error(request, exc.messages[0])
    return redirect("reports:detail", pk=pk)


@login_required
@require_POST
def report_issue(request, pk):
    if not issues(request.user):
        raise Http404
    report = get_for_user_or_404(Report, request.user, pk=pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.report_issue(report=report, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ban hành báo cáo."))
        except ServiceError as exc:
            messages.error(request, exc.messages[0])
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reports:detail", pk=pk)


@login_required
def report_download(request, pk, fmt):
    if not reads(request.user) or fmt not in documents.RENDERERS:
        raise Http404
    report = get_for_user_or_404(Report, request.user, pk=pk)
    content, content_type = documents.render(report, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(report, fmt)}"'
    return response

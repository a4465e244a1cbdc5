"""Cooperation pages. Thin: scope, form, service. The Board manages; inspectors and provincial
leaders read; other units see the actions they own; everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core import policy, uploads
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.permissions import CHANGE, VIEW, can, get_for_user_or_404
from cuakhau.core.views.forms import form_page, submit

from . import permissions, selectors, services
from .forms import (
    AgreementForm,
    CommitmentForm,
    CounterpartForm,
    DocumentForm,
    MeetingForm,
    MilestoneForm,
    ReportForm,
)
from .models import ActionStatus, Commitment, Counterpart, Document
from .rules import COUNTERPART_FIELDS, MEETING_FIELDS


def _board_reader(user) -> None:
    if not permissions.may_read_board(user):
        raise Http404


def _form_for_managers(user) -> None:
    """A new record's form page is there for those the policy lets manage (404 for others); the
    service checks the write itself."""
    if not policy.may(user, "cooperation.manage"):
        raise Http404


def _form_page(request, form, title, cancel):
    return form_page(
        request, form, title=title, cancel_href=cancel, context={"stylesheet": "cuakhau/incidents.css"}
    )


@login_required
def index(request):
    user = request.user
    if not permissions.may_read_board(user):
        if Commitment.objects.for_user(user).exists():
            return redirect("cooperation:actions")
        raise Http404
    actions = selectors.action_list(user=user, status="open")
    return render(
        request,
        "cooperation/index.html",
        {
            "counterparts": selectors.counterpart_list(user=user),
            "meetings": selectors.meeting_list(user=user)[:5],
            "agreements": selectors.agreement_list(user=user)[:10],
            "milestones": selectors.milestone_list(user=user),
            "open_actions": actions.count(),
            "overdue_actions": actions.overdue().count(),
            "can_manage": policy.may(user, "cooperation.manage"),
        },
    )


# --- counterparts ---------------------------------------------------------------------------------


@login_required
def counterpart_create(request):
    _form_for_managers(request.user)
    form = CounterpartForm(request.POST or None)
    if submit(request, form, lambda data: services.counterpart_save(actor=request.user, **data)):
        messages.success(request, _("Đã thêm đối tác."))
        return redirect("cooperation:index")
    return _form_page(request, form, _("Thêm đối tác phía Trung Quốc"), "/cooperation/")


@login_required
def counterpart_edit(request, code):
    counterpart = get_for_user_or_404(Counterpart, request.user, CHANGE, code=code)
    initial = {f: getattr(counterpart, f) for f in COUNTERPART_FIELDS}
    form = CounterpartForm(request.POST or None, initial=initial, editing=True)
    if submit(
        request,
        form,
        lambda data: services.counterpart_save(actor=request.user, counterpart=counterpart, **data),
    ):
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("cooperation:index")
    return _form_page(request, form, _("Sửa: %(name)s") % {"name": counterpart.name_vi}, "/cooperation/")


# --- meetings -------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    _board_reader(request.user)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "cooperation/meeting_list.html",
        {
            "meetings": selectors.meeting_list(user=request.user, q=q),
            "q": q,
            "can_manage": policy.may(request.user, "cooperation.manage"),
        },
    )


@login_required
def meeting_create(request):
    _form_for_managers(request.user)
    form = MeetingForm(request.POST or None)
    meeting = submit(request, form, lambda data: services.meeting_record(actor=request.user, **data))
    if meeting:
        messages.success(request, _("Đã ghi cuộc hội đàm."))
        return redirect("cooperation:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, _("Ghi cuộc hội đàm, làm việc"), "/cooperation/meetings/")


@login_required
def meeting_edit(request, pk):
    meeting = selectors.meeting_detail(user=request.user, pk=pk, action=CHANGE)
    initial = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    initial["counterparts"] = list(meeting.counterparts.all())
    form = MeetingForm(request.POST or None, initial=initial)
    if submit(
        request, form, lambda data: services.meeting_update(actor=request.user, meeting=meeting, **data)
    ):
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("cooperation:meeting_detail", pk=meeting.pk)
    return _form_page(
        request, form, _("Sửa: %(t)s") % {"t": meeting.title}, f"/cooperation/meetings/{meeting.pk}/"
    )


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    return render(
        request,
        "cooperation/meeting_detail.html",
        {
            "meeting": meeting,
            "can_edit": can(request.user, CHANGE, meeting),
            "document_form": DocumentForm(),
        },
    )


@login_required
@require_POST
def document_upload(request, kind, pk):
    if kind == "meeting":
        parent = selectors.meeting_detail(user=request.user, pk=pk, action=CHANGE)
        target = {"meeting": parent}
    elif kind == "agreement":
        parent = selectors.agreement_detail(user=request.user, pk=pk, action=CHANGE)
        target = {"agreement": parent}
    else:
        raise Http404
    form = DocumentForm(request.POST, request.FILES)
    if submit(request, form, lambda data: services.document_attach(actor=request.user, **target, **data)):
        messages.success(request, _("Đã đính kèm tài liệu."))
        return redirect(f"cooperation:{kind}_detail", pk=pk)
    if kind == "meeting":
        context = {"meeting": parent, "can_edit": True, "document_form": form}
        return render(request, "cooperation/meeting_detail.html", context, status=400)
    return _agreement_page(request, parent, document_form=form, status=400)


@login_required
def document_download(request, pk):
    document = get_for_user_or_404(Document, request.user, VIEW, pk=pk)
    return uploads.stored_file_response(
        document.file, content_type=document.content_type, filename=document.original_name
    )


# --- agreements and actions -----------------------------------------------------------------------


@login_required
def agreement_create(request):
    _form_for_managers(request.user)
    initial = {"parties_vn": _("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn")}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = int(request.GET["meeting"])
    form = AgreementForm(request.POST or None, initial=initial)
    agreement = submit(request, form, lambda data: services.agreement_record(actor=request.user, **data))
    if agreement:
        messages.success(request, _("Đã ghi văn bản. Hãy thêm các cam kết để theo dõi."))
        return redirect("cooperation:agreement_detail", pk=agreement.pk)
    return _form_page(request, form, _("Ghi thỏa thuận, bản ghi nhớ"), "/cooperation/")


def _agreement_page(request, agreement, *, commitment_form=None, document_form=None, status=200):
    can_edit = can(request.user, CHANGE, agreement)
    return render(
        request,
        "cooperation/agreement_detail.html",
        {
            "agreement": agreement,
            "commitments": agreement.commitments.select_related("owner_unit"),
            "can_edit": can_edit,
            "commitment_form": commitment_form or CommitmentForm(),
            "document_form": document_form or DocumentForm(),
        },
        status=status,
    )


@login_required
def agreement_detail(request, pk):
    return _agreement_page(request, selectors.agreement_detail(user=request.user, pk=pk))


@login_required
@require_POST
def commitment_add(request, pk):
    agreement = selectors.agreement_detail(user=request.user, pk=pk, action=CHANGE)
    form = CommitmentForm(request.POST)
    if submit(
        request, form, lambda data: services.commitment_add(actor=request.user, agreement=agreement, **data)
    ):
        messages.success(request, _("Đã thêm cam kết vào danh sách theo dõi."))
        return redirect("cooperation:agreement_detail", pk=agreement.pk)
    return _agreement_page(request, agreement, commitment_form=form, status=400)


@login_required
def actions(request):
    if not policy.may(request.user, "cooperation.list_actions"):
        raise Http404
    status = request.GET.get("status", "open")
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.action_list(
        user=request.user,
        status=status if status in ActionStatus.values or status == "open" else "",
        overdue=overdue,
    )
    return render(
        request,
        "cooperation/action_list.html",
        {
            "actions": rows,
            "status": status,
            "overdue": overdue,
            "statuses": ActionStatus.choices,
            "board_reader": permissions.may_read_board(request.user),
        },
    )


@login_required
def action_detail(request, pk):
    action = selectors.action_detail(user=request.user, pk=pk)
    can_report = can(request.user, CHANGE, action)
    form = (
        ReportForm(
            request.POST or None,
            initial={"status": action.status},
            statuses=selectors.commitment_next_statuses(action, request.user),
        )
        if can_report
        else None
    )
    if request.method == "POST":
        if not can_report:
            raise Http404
        if form.is_valid():
            try:
                services.commitment_report(actor=request.user, commitment=action, **form.cleaned_data)
            except ServiceError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi báo cáo tiến độ."))
                return redirect("cooperation:action_detail", pk=action.pk)
    return render(
        request,
        "cooperation/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("actor"),
            "form": form,
            "board_reader": permissions.may_read_board(request.user),
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- milestones -----------------------------------------------------------------------------------


@login_required
def milestone_create(request):
    _form_for_managers(request.user)
    form = MilestoneForm(request.POST or None)
    if submit(request, form, lambda data: services.milestone_save(actor=request.user, **data)):
        messages.success(request, _("Đã thêm mốc."))
        return redirect("cooperation:index")
    return _form_page(request, form, _("Thêm mốc khu hợp tác kinh tế qua biên giới"), "/cooperation/")

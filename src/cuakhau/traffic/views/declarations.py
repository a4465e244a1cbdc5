"""The declarant's and the regulator's pages for declarations: the list, the form (new and edit),
the declaration's page and its actions, the printable pass, and the Excel upload; index sends each
role to its first page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cuakhau.core import policy
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.pages import TransitionPage
from cuakhau.core.permissions import CHANGE, get_for_user_or_404
from cuakhau.gates.models import Gate

from .. import passes, permissions, selectors, services, upload_sheet, validation
from ..actions import DECLARATION, PAGE_STEPS
from ..forms import (
    ContainerFormSet,
    DeclarationForm,
    LineForm,
    LineFormSet,
    ReasonForm,
    UploadForm,
    driver_choices,
    enterprise_choices,
)
from ..models import Declaration, Status, UploadJob
from ..services import upload
from .base import PAGE_SIZE


@login_required
def index(request):
    user = request.user
    if permissions.may_open_my_trips(user):
        return redirect("traffic:my_trips")
    if permissions.may_record_checks(user):
        return redirect("traffic:checks")
    if permissions.may_start_at_board(user):
        gate = selectors.board_gates(user).first()
        if gate is not None:
            return redirect("traffic:board", code=gate.code)
    return redirect("traffic:declaration_list")


@login_required
def declaration_list(request):
    if permissions.may_open_my_trips(request.user):
        return redirect("traffic:my_trips")
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    gate = request.GET.get("gate", "")
    declarations = selectors.declaration_list(user=request.user, q=q, status=status, gate=gate)
    return render(
        request,
        "traffic/declaration_list.html",
        {
            "declarations": declarations[:PAGE_SIZE],
            "total": declarations.count(),
            "q": q,
            "status": status,
            "gate": gate,
            "statuses": Status.choices,
            "gates": Gate.objects.filter(is_active=True, mode="road").order_by("sort_order"),
            "can_add": permissions.may_declare(request.user),
        },
    )


def _formsets(request, initial_lines=None, initial_containers=None):
    data = request.POST if request.method == "POST" else None
    return (
        LineFormSet(data, prefix="lines", initial=initial_lines),
        ContainerFormSet(data, prefix="containers", initial=initial_containers),
    )


def _declaration_form(request, initial=None):
    return DeclarationForm(
        request.POST or None,
        initial=initial,
        enterprises=enterprise_choices(request.user),
        drivers=driver_choices(request.user),
        gates=Gate.objects.filter(is_active=True, mode="road").order_by("sort_order"),
    )


HEADER = ("gate", "flow", "direction", "vehicle", "trailer", "driver", "planned_arrival", "two_way", "note")


def _values(form) -> dict:
    data = getattr(form, "cleaned_data", {})
    return {name: data.get(name) for name in form.fields if name != "DELETE"}


def _collect(user, form, lines, containers, *, with_enterprise: bool) -> dict | None:
    """The service's arguments from the page, or None with every error on the page: the forms'
    own, the plates', and the service's checks of the header, every goods line and every container,
    all on one submit (each field keeps its first error)."""
    ok = form.is_valid() & lines.is_valid() & containers.is_valid()
    data = {name: form.cleaned_data.get(name) for name in HEADER}
    for name, kwargs in (("vehicle", {}), ("trailer", {"field": "trailer", "trailer": True})):
        plate = data[name]
        data[name] = None
        if plate:
            try:
                data[name] = validation.vehicle_by_plate(plate, **kwargs)
            except ServiceError as exc:
                form.add_error(name, exc.messages)
                ok = False
    data["lines"] = [_values(f) for f in lines.rows()]
    data["containers"] = [_values(f) for f in containers.rows()]
    if with_enterprise:
        data["enterprise"] = form.cleaned_data.get("enterprise")
    if ok:
        return data
    exc = validation.draft_errors(actor=user, **data)
    if exc is not None:
        _service_errors(form, lines, containers, exc)
    return None


def _service_errors(form, lines, containers, exc: ServiceError) -> None:
    """A refusal's errors on the page: a goods line's or a container's on its row's field, the
    header's on its field, the rest above its section or the form. A field that already shows an
    error keeps that one."""
    rows = {"lines": lines.rows(), "containers": containers.rows()}
    for field, errors in exc.message_dict.items():
        parts = field.split(".")
        target, name = form, field if field in form.fields else None
        if len(parts) == 3 and parts[0] in rows and parts[1].isdigit():
            index = int(parts[1]) - 1
            if index < len(rows[parts[0]]) and parts[2] in rows[parts[0]][index].fields:
                target, name = rows[parts[0]][index], parts[2]
        elif parts[0] in rows:
            formset = lines if parts[0] == "lines" else containers
            formset.non_form_errors().extend(errors)
            continue
        if name is not None and name in target.errors:
            continue
        for error in errors:
            target.add_error(name, error)


@login_required
def declaration_create(request):
    if not permissions.may_declare(request.user):
        raise Http404
    form = _declaration_form(request)
    lines, containers = _formsets(request)
    if request.method == "POST":
        data = _collect(request.user, form, lines, containers, with_enterprise=True)
        if data is not None:
            try:
                declaration = services.declaration_create(actor=request.user, **data)
                if request.POST.get("and_submit"):
                    declaration = services.declaration_submit(actor=request.user, declaration=declaration)
            except ServiceError as exc:
                _service_errors(form, lines, containers, exc)
            else:
                messages.success(request, _("Đã lưu tờ khai %(n)s.") % {"n": declaration.number})
                return redirect("traffic:declaration_detail", pk=declaration.pk)
    return render(
        request,
        "traffic/declaration_form.html",
        {
            "form": form,
            "lines": lines,
            "containers": containers,
            "title": _("Khai báo chuyến xe"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def declaration_edit(request, pk):
    declaration = selectors.declaration_detail(user=request.user, pk=pk, action=CHANGE)
    if declaration.status not in (Status.DRAFT, Status.RETURNED):
        messages.error(request, _("Chỉ sửa được tờ khai nháp hoặc bị trả lại."))
        return redirect("traffic:declaration_detail", pk=pk)
    initial = {
        "enterprise": declaration.enterprise,
        "gate": declaration.gate,
        "flow": declaration.flow,
        "direction": declaration.direction,
        "vehicle": declaration.vehicle.plate,
        "trailer": declaration.trailer.plate if declaration.trailer else "",
        "driver": declaration.driver,
        "planned_arrival": declaration.planned_arrival,
        "two_way": declaration.two_way,
        "note": declaration.note,
    }
    form = _declaration_form(request, initial=initial)
    lines, containers = _formsets(
        request,
        [{k: getattr(line, k) for k in LineForm.base_fields} for line in declaration.lines.all()],
        [{"number": c.number, "size": c.size} for c in declaration.containers.all()],
    )
    if request.method == "POST":
        data = _collect(request.user, form, lines, containers, with_enterprise=False)
        if data is not None:
            try:
                declaration = services.declaration_update(actor=request.user, declaration=declaration, **data)
                if request.POST.get("and_submit"):
                    services.declaration_submit(actor=request.user, declaration=declaration)
            except ServiceError as exc:
                _service_errors(form, lines, containers, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("traffic:declaration_detail", pk=pk)
    return render(
        request,
        "traffic/declaration_form.html",
        {
            "form": form,
            "lines": lines,
            "containers": containers,
            "declaration": declaration,
            "title": _("Sửa tờ khai %(n)s") % {"n": declaration.number},
        },
        status=400 if request.method == "POST" else 200,
    )


# --- the declaration's page and its steps (core.pages.TransitionPage) ---------------------------------

DONE = {
    "submit": gettext_lazy("Đã gửi tờ khai %(n)s."),
    "approve": gettext_lazy("Đã duyệt tờ khai %(n)s."),
    "return": gettext_lazy("Đã trả lại tờ khai %(n)s."),
    "call": gettext_lazy("Đã gọi xe của tờ khai %(n)s vào cửa khẩu."),
    "cancel": gettext_lazy("Đã hủy tờ khai %(n)s."),
    "complete": gettext_lazy("Đã đóng chuyến %(n)s."),
}
REASONS = {
    "return": gettext_lazy("Lý do trả lại"),
    "call": gettext_lazy("Lý do nếu gọi vượt thứ tự"),
    "cancel": gettext_lazy("Lý do hủy"),
}


def _available(user, declaration):
    """The page's steps: the workflow's, less the cancel of a state the user's side may not cancel
    from (the declarant until the vehicle is called, the gate once approved)."""
    return [
        t
        for t in DECLARATION.available(user, declaration)
        if t.name in PAGE_STEPS
        and (t.name != "cancel" or declaration.status in permissions.cancel_states(user, declaration))
    ]


def _form_for(name, declaration, data, files):
    # The fields keep their names (`reason`): the board posts its call forward to the same URL.
    if name in REASONS:
        form = ReasonForm(data, auto_id=f"id_{name}_%s")
        form.fields["reason"].label = REASONS[name]
        return form
    return forms.Form(data, auto_id=f"id_{name}_%s")


def _apply(user, declaration, name, data, files):
    reason = data.get("reason", "")
    step = {
        "submit": lambda: services.declaration_submit(actor=user, declaration=declaration),
        "approve": lambda: services.declaration_approve(actor=user, declaration=declaration),
        "return": lambda: services.declaration_return(actor=user, declaration=declaration, reason=reason),
        "call": lambda: services.declaration_call_forward(actor=user, declaration=declaration, reason=reason),
        "cancel": lambda: services.declaration_cancel(actor=user, declaration=declaration, reason=reason),
        "complete": lambda: services.declaration_complete(actor=user, declaration=declaration),
    }
    return step[name]()


def _after(request, declaration) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/traffic/") and "//" not in target:
        return target
    return reverse("traffic:declaration_detail", args=[declaration.pk])


def _render(request, declaration, action_forms, failed, status):
    place, wait = selectors.place_in_queue(declaration)
    staff = permissions.is_staff_role(request.user)
    may_edit = DECLARATION.allows_from(declaration, "update") and DECLARATION.permitted(
        request.user, declaration, "update"
    )
    return render(
        request,
        "traffic/declaration_detail.html",
        {
            "d": declaration,
            "lines": declaration.lines.all(),
            "containers": declaration.containers.all(),
            "checks": declaration.checks.select_related("decided_unit").all(),
            "events": declaration.events.select_related("yard").order_by("occurred_at") if staff else [],
            "timeline": selectors.timeline(declaration),
            "place": place,
            "wait": wait,
            "action_forms": action_forms,
            "may_edit": may_edit,
            "show_pass": bool(declaration.pass_nonce),
            "audit_url": reverse("core:audit")
            + f"?object_type=traffic.declaration&object_id={declaration.pk}"
            if policy.may(request.user, "core.open_audit")
            else "",
        },
        status=status,
    )


PAGE = TransitionPage(
    workflow=DECLARATION,
    get_object=lambda request, pk: selectors.declaration_detail(user=request.user, pk=pk),
    form_for=_form_for,
    apply=_apply,
    render=_render,
    url_for=lambda declaration, name: reverse("traffic:declaration_action", args=[declaration.pk, name]),
    after=_after,
    done_message=lambda declaration, transition: DONE[transition.name] % {"n": declaration.number},
    available=_available,
)
declaration_action = PAGE.view()


@login_required
def declaration_detail(request, pk):
    return PAGE.detail(request, selectors.declaration_detail(user=request.user, pk=pk))


@login_required
def declaration_pass(request, pk):
    """The printable pass: the QR code that gates scan and that opens the driver's page."""
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    if not declaration.pass_nonce:
        raise Http404
    url = request.build_absolute_uri(passes.pass_path(declaration))
    return render(
        request, "traffic/pass_print.html", {"d": declaration, "qr": passes.qr_svg(url, scale=6), "url": url}
    )


@login_required
def upload_template(request):
    if not permissions.may_declare(request.user):
        raise Http404
    response = HttpResponse(
        upload_sheet.template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-to-khai-cuakhau.xlsx"'
    return response


@login_required
def upload_view(request):
    if not permissions.may_declare(request.user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            rows = upload_sheet.read_rows(file)  # read and bounded before any transaction opens
            result = upload.upload_start(
                actor=request.user, file=file, rows=rows, submit=form.cleaned_data["submit"]
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
            status = 400
        else:
            if isinstance(result, UploadJob):  # a large file: checked by the worker
                _enqueue_upload(result)
                return redirect("traffic:upload_progress", pk=result.pk)
            if result.errors:
                status = 400
            else:
                messages.success(request, _("Đã nhập %(n)s tờ khai.") % {"n": len(result.created)})
                return redirect(reverse("traffic:declaration_list"))
    elif request.method == "POST":
        status = 400
    return render(request, "traffic/upload.html", {"form": form, "result": result}, status=status)


def _enqueue_upload(job: UploadJob) -> None:
    from ..tasks import run_upload

    try:
        run_upload.enqueue(job.pk)
    except Exception:  # no task backend: checked here, the browser waiting
        run_upload.call(job.pk)


@login_required
def upload_progress(request, pk):
    """A large upload's progress (rows checked of the total), then its result. The page polls itself
    every 2 s (htmx) for the fragment until the worker is done; only the uploader's enterprise sees it."""
    job = get_for_user_or_404(UploadJob, request.user, pk=pk)
    created = Declaration.objects.for_user(request.user).filter(pk__in=job.created_ids).order_by("pk")
    context = {"job": job, "created": created, "errors": job.errors}
    if request.headers.get("HX-Request"):
        return render(request, "traffic/_upload_progress.html", context)
    return render(request, "traffic/upload_progress.html", context)

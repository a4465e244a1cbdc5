"""Pages for declarations, the live and public boards, the driver's pass, agency checks, yards and
regulation. Thin: scope, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.feedback import feedback_link
from cuakhau.core.permissions import CHANGE, can, get_for_user_or_404
from cuakhau.core.roles import GATE_BOUND_ROLES, Role, UnitKind
from cuakhau.gates.models import Gate

from . import passes, permissions, selectors, services
from .forms import (
    CapacityForm,
    CheckForm,
    ContainerFormSet,
    DeclarationForm,
    LineFormSet,
    ReasonForm,
    SlotForm,
    UploadForm,
    driver_choices,
    enterprise_choices,
)
from .models import (
    AgencyCheck,
    Capacity,
    Declaration,
    Direction,
    GateException,
    Status,
    TimeSlot,
)
from .permissions import REGULATE
from .services import upload, validation

PAGE_SIZE = 200


def _form_errors(form, exc: ServiceError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _flash(request, exc: ServiceError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request):
    user = request.user
    if user.role == Role.DRIVER:
        return redirect("traffic:my_trips")
    if user.role == Role.AGENCY_OFFICER:
        return redirect("traffic:checks")
    if user.role in (Role.GATE_OPERATOR, Role.GATE_CASHIER):
        gate = selectors.board_gates(user).first()
        if gate is not None:
            return redirect("traffic:board", code=gate.code)
    return redirect("traffic:declaration_list")


# --- declarations --------------------------------------------------------------------------------


@login_required
def declaration_list(request):
    if request.user.role == Role.DRIVER:
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


def _collect(form, lines, containers) -> dict | None:
    """The service's arguments from valid forms, or None (errors are on the forms)."""
    ok = form.is_valid() & lines.is_valid() & containers.is_valid()
    if not ok:
        return None
    data = dict(form.cleaned_data)
    try:
        data["vehicle"] = validation.vehicle_by_plate(data["vehicle"])
    except ServiceError as exc:
        form.add_error("vehicle", exc.messages[0])
    try:
        data["trailer"] = (
            validation.vehicle_by_plate(data["trailer"], field="trailer", trailer=True)
            if data["trailer"]
            else None
        )
    except ServiceError as exc:
        form.add_error("trailer", exc.messages[0])
    if form.errors:
        return None
    data["lines"] = [f.cleaned_data for f in lines if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    data["containers"] = [f.cleaned_data for f in containers if f.cleaned_data]
    return data


def _service_errors(form, lines, containers, exc: ServiceError) -> None:
    for field, errors in exc.message_dict.items():
        parts = field.split(".")
        target = None
        if len(parts) == 3 and parts[1].isdigit():
            formset = lines if parts[0] == "lines" else containers
            index = int(parts[1]) - 1
            filled = [f for f in formset if f.cleaned_data]
            if index < len(filled) and parts[2] in filled[index].fields:
                target = (filled[index], parts[2])
        for error in errors:
            if target:
                target[0].add_error(target[1], error)
            else:
                form.add_error(field if field in form.fields else None, error)


@login_required
def declaration_create(request):
    if not permissions.may_declare(request.user):
        raise Http404
    form = _declaration_form(request)
    lines, containers = _formsets(request)
    if request.method == "POST":
        data = _collect(form, lines, containers)
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
        [
            {
                k: getattr(line, k)
                for k in (
                    "hs_code",
                    "description",
                    "quantity",
                    "unit",
                    "gross_kg",
                    "value",
                    "currency",
                    "value_vnd",
                )
            }
            for line in declaration.lines.all()
        ],
        [{"number": c.number, "size": c.size} for c in declaration.containers.all()],
    )
    if request.method == "POST":
        data = _collect(form, lines, containers)
        if data is not None:
            data.pop("enterprise", None)
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


def _actions(user, declaration) -> dict[str, bool]:
    regulate = can(user, REGULATE, declaration)
    change = can(user, CHANGE, declaration)
    s = declaration.status
    return {
        "edit": change and s in (Status.DRAFT, Status.RETURNED),
        "submit": change and s in (Status.DRAFT, Status.RETURNED),
        "approve": regulate and s == Status.SUBMITTED,
        "return": regulate and s == Status.SUBMITTED,
        "call": regulate and s == Status.APPROVED,
        "complete": regulate and s == Status.CROSSED,
        "cancel": (change and s in services.declarations.CANCELLABLE_BY_DECLARANT)
        or (regulate and s in services.declarations.CANCELLABLE_BY_GATE),
    }


@login_required
def declaration_detail(request, pk):
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    place, wait = selectors.place_in_queue(declaration)
    staff = permissions.is_staff_role(request.user)
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
            "actions": _actions(request.user, declaration),
            "show_pass": bool(declaration.pass_nonce),
            "audit_url": reverse("core:audit")
            + f"?object_type=traffic.declaration&object_id={declaration.pk}"
            if request.user.role in (Role.INSPECTOR, Role.ADMIN) or request.user.is_superuser
            else "",
        },
    )


ACTIONS = {
    "submit": lambda user, d, reason: services.declaration_submit(actor=user, declaration=d),
    "approve": lambda user, d, reason: services.declaration_approve(actor=user, declaration=d),
    "return": lambda user, d, reason: services.declaration_return(actor=user, declaration=d, reason=reason),
    "call": lambda user, d, reason: services.declaration_call_forward(
        actor=user, declaration=d, reason=reason
    ),
    "cancel": lambda user, d, reason: services.declaration_cancel(actor=user, declaration=d, reason=reason),
    "complete": lambda user, d, reason: services.declaration_complete(actor=user, declaration=d),
}
DONE = {
    "submit": _("Đã gửi tờ khai %(n)s."),
    "approve": _("Đã duyệt tờ khai %(n)s."),
    "return": _("Đã trả lại tờ khai %(n)s."),
    "call": _("Đã gọi xe của tờ khai %(n)s vào cửa khẩu."),
    "cancel": _("Đã hủy tờ khai %(n)s."),
    "complete": _("Đã đóng chuyến %(n)s."),
}


@login_required
@require_POST
def declaration_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        ACTIONS[action](request.user, declaration, reason)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        _flash(request, exc)
    else:
        messages.success(request, DONE[action] % {"n": declaration.number})
    target = request.POST.get("next", "")
    if target.startswith("/traffic/") and "//" not in target:
        return redirect(target)
    return redirect("traffic:declaration_detail", pk=pk)


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


def pass_page(request, token):
    """The driver's page, reached from the QR pass without logging in: the trip's state, the place in
    the queue and the wait, and a held check's reason. No identity number is shown."""
    read = passes.read_token(token)
    if read is None:
        raise Http404
    declaration = (
        Declaration.objects.select_related("vehicle", "trailer", "driver", "gate", "enterprise")
        .filter(pk=read[0], pass_nonce=read[1])
        .exclude(pass_nonce="")
        .first()
    )
    if declaration is None:
        raise Http404
    place, wait = selectors.place_in_queue(declaration)
    response = render(
        request,
        "traffic/pass_page.html",
        {
            "d": declaration,
            "place": place,
            "wait": wait,
            "held": [c for c in declaration.checks.all() if c.status == "held"],
            "checks": declaration.checks.all(),
            "timeline": selectors.timeline(declaration),
            "token": token,
            "feedback_url": _pass_feedback_link(declaration),
        },
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _pass_feedback_link(declaration) -> str | None:
    """A link for the driver to rate the gate centre's service on this trip, once the trip has reached
    the gate (before that there is no service to rate)."""
    if declaration.status not in {Status.IN_YARD, Status.CROSSED, Status.COMPLETED}:
        return None
    centre = declaration.gate.units.filter(kind=UnitKind.GATE_CENTRE).first()
    return feedback_link("pass", declaration.pk, unit=centre) if centre else None


@login_required
def my_trips(request):
    if request.user.role != Role.DRIVER:
        raise Http404
    trips = (
        Declaration.objects.for_user(request.user).select_related("vehicle", "gate").order_by("-created_at")
    )
    rows = []
    for d in trips[:50]:
        place, wait = selectors.place_in_queue(d)
        rows.append(
            {
                "d": d,
                "place": place,
                "wait": wait,
                "pass_url": passes.pass_path(d) if d.pass_nonce else "",
                "held": [c for c in d.checks.all() if c.status == "held"],
            }
        )
    return render(request, "traffic/my_trips.html", {"rows": rows})


# --- Excel upload ---------------------------------------------------------------------------------


@login_required
def upload_template(request):
    if not permissions.may_declare(request.user):
        raise Http404
    response = HttpResponse(
        upload.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
        try:
            result = upload.declarations_import(
                actor=request.user, file=form.cleaned_data["file"], submit=form.cleaned_data["submit"]
            )
        except ServiceError as exc:
            _form_errors(form, exc)
            status = 400
        else:
            if result.errors:
                status = 400
            else:
                messages.success(request, _("Đã nhập %(n)s tờ khai.") % {"n": len(result.created)})
                return redirect(reverse("traffic:declaration_list"))
    elif request.method == "POST":
        status = 400
    return render(request, "traffic/upload.html", {"form": form, "result": result}, status=status)


# --- boards ------------------------------------------------------------------------------------


def _board_gate(request, code):
    gate = selectors.board_gates(request.user).filter(code=code).first()
    if gate is None or not permissions.is_staff_role(request.user):
        raise Http404
    return gate


@login_required
def board_home(request):
    gate = selectors.board_gates(request.user).first() if permissions.is_staff_role(request.user) else None
    if gate is None:
        raise Http404
    return redirect("traffic:board", code=gate.code)


@login_required
def board(request, code):
    gate = _board_gate(request, code)
    base = Declaration.objects.for_user(request.user)
    context = {
        "gate": gate,
        "boards": selectors.board(gate=gate, base=base),
        "gates": selectors.board_gates(request.user),
        "may_regulate": permissions.may_regulate_gate(request.user, gate),
        "exceptions": selectors.open_exceptions(user=request.user, gate=gate)[:20],
    }
    template = "traffic/_board.html" if request.htmx and request.GET.get("fragment") else "traffic/board.html"
    return render(request, template, context)


def public_board(request):
    template = "traffic/_public_board.html" if request.htmx else "traffic/public_board.html"
    return render(request, template, {"gates": selectors.public_board()})


# --- agency checks ------------------------------------------------------------------------------


@login_required
def checks(request):
    if request.user.role != Role.AGENCY_OFFICER and not request.user.is_superuser:
        raise Http404
    status = request.GET.get("status", "pending")
    return render(
        request,
        "traffic/checks.html",
        {
            "checks": selectors.checks_for(user=request.user, status=status)[:PAGE_SIZE],
            "status": status,
            "agency": request.user.unit.get_agency_kind_display() if request.user.unit else "",
        },
    )


@login_required
@require_POST
def check_record(request, pk):
    check = get_for_user_or_404(
        AgencyCheck.objects.select_related("declaration"), request.user, "record", pk=pk
    )
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn kết quả: đạt hoặc tạm giữ."))
    else:
        try:
            services.check_record(actor=request.user, check=check, **form.cleaned_data)
        except ServiceError as exc:
            _flash(request, exc)
        else:
            messages.success(
                request, _("Đã ghi kết quả cho tờ khai %(n)s.") % {"n": check.declaration.number}
            )
    return redirect(
        request.POST.get("next")
        if (request.POST.get("next") or "").startswith("/traffic/")
        else "traffic:checks"
    )


# --- yards and exceptions -----------------------------------------------------------------------


@login_required
def yards(request):
    if (
        request.user.role
        not in GATE_BOUND_ROLES | {Role.DEPARTMENT_STAFF, Role.BOARD_LEADER, Role.INSPECTOR, Role.ADMIN}
        and not request.user.is_superuser
    ):
        raise Http404
    return render(
        request,
        "traffic/yards.html",
        {
            "yards": selectors.yards(user=request.user),
            "exceptions": selectors.open_exceptions(user=request.user)[:100],
            "events": selectors.recent_events(user=request.user),
            "can_resolve": request.user.is_superuser
            or request.user.role in (Role.GATE_OPERATOR, Role.DEPARTMENT_STAFF, Role.ADMIN),
        },
    )


@login_required
@require_POST
def exception_resolve(request, pk):
    exception = get_for_user_or_404(GateException.objects.all(), request.user, CHANGE, pk=pk)
    number = (request.POST.get("declaration") or "").strip().upper().removeprefix("TK")
    note = request.POST.get("note", "")
    try:
        if request.POST.get("dismiss"):
            services.exception_dismiss(actor=request.user, exception=exception, note=note)
        else:
            declaration = None
            if number:
                if not number.isdigit():
                    raise ServiceError(_("Số tờ khai dạng TK000123."), field="declaration")
                declaration = (
                    Declaration.objects.for_user(request.user, REGULATE).filter(pk=int(number)).first()
                )
                if declaration is None:
                    raise ServiceError(
                        _("Không có tờ khai %(n)s trong phạm vi của bạn.") % {"n": number},
                        field="declaration",
                    )
            services.exception_resolve(
                actor=request.user, exception=exception, declaration=declaration, note=note
            )
    except ServiceError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Đã xử lý ngoại lệ."))
    return redirect("traffic:yards")


# --- regulation ---------------------------------------------------------------------------------


@login_required
def regulation(request, code):
    gate = get_object_or_404(Gate, code=code, is_active=True)
    if not permissions.may_regulate_gate(request.user, gate):
        raise Http404
    capacity_form = CapacityForm(request.POST if request.POST.get("form") == "capacity" else None)
    slot_form = SlotForm(request.POST if request.POST.get("form") == "slot" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "capacity" and capacity_form.is_valid():
                services.capacity_set(actor=request.user, gate=gate, **capacity_form.cleaned_data)
                messages.success(request, _("Đã lưu năng lực thông quan."))
                return redirect("traffic:regulation", code=code)
            if request.POST.get("form") == "slot" and slot_form.is_valid():
                services.slot_add(actor=request.user, gate=gate, **slot_form.cleaned_data)
                messages.success(request, _("Đã thêm khung giờ."))
                return redirect("traffic:regulation", code=code)
            if request.POST.get("form") == "remove":
                slot = get_object_or_404(TimeSlot, pk=request.POST.get("slot"), gate=gate)
                services.slot_remove(actor=request.user, slot=slot)
                messages.success(request, _("Đã xóa khung giờ."))
                return redirect("traffic:regulation", code=code)
        except ServiceError as exc:
            _form_errors(slot_form if request.POST.get("form") == "slot" else capacity_form, exc)
    return render(
        request,
        "traffic/regulation.html",
        {
            "gate": gate,
            "capacities": Capacity.objects.filter(gate=gate),
            "slots": TimeSlot.objects.filter(gate=gate).order_by("direction", "starts"),
            "capacity_form": capacity_form,
            "slot_form": slot_form,
            "directions": Direction.choices,
        },
        status=400 if request.method == "POST" else 200,
    )

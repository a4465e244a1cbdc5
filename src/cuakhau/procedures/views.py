"""Pages for one-stop procedures. Thin: scope, form, service. The catalogue and the lookup are public."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core import policy, throttle, uploads
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.feedback import feedback_link
from cuakhau.core.pages import TransitionPage, paginate
from cuakhau.core.views.forms import flash_errors, form_page
from cuakhau.core.views.forms import submit as submit_form
from cuakhau.parties.models import Enterprise

from . import clock, documents, permissions, selectors, services
from .actions import WORKFLOW
from .forms import TRANSITION_FORMS, DeskForm, LookupForm, SubmitForm, VersionForm
from .models import ApologyLetter, Dossier, Procedure, Status
from .rules import unit_by_code

PAGE_SIZE = 100


@login_required
def index(request):
    if policy.may(request.user, "procedures.list"):
        return redirect("procedures:list")
    if permissions.may_read_figures(request.user):
        return redirect("procedures:figures")
    raise Http404


@login_required
def dossier_list(request):
    if not policy.may(request.user, "procedures.list"):
        raise Http404
    status = request.GET.get("status", "")
    code = request.GET.get("procedure", "")
    overdue = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()
    rows = selectors.dossier_list(user=request.user, status=status, procedure=code, overdue=overdue, q=q)
    return render(
        request,
        "procedures/dossier_list.html",
        {
            "dossiers": paginate(request, rows, per_page=PAGE_SIZE),
            "total": rows.count(),
            "statuses": Status.choices,
            "procedures": Procedure.objects.published(),
            "status": status,
            "procedure": code,
            "overdue": overdue,
            "q": q,
            "can_submit": permissions.may_submit_online(request.user)
            and _own_enterprise(request.user) is not None,
            "can_desk": permissions.may_receive_at_desk(request.user),
            "now": timezone.now(),
        },
    )


def _own_enterprise(user):
    from cuakhau.parties.selectors import own_enterprise

    return own_enterprise(user)


def _files(request, name="files"):
    return request.FILES.getlist(name)


@login_required
def submit(request):
    enterprise = _own_enterprise(request.user) if permissions.may_submit_online(request.user) else None
    if enterprise is None:
        raise Http404
    initial = {
        "procedure": request.GET.get("procedure", ""),
        "applicant_email": enterprise.email or request.user.email,
    }
    form = SubmitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["files"] = _files(request)
        try:
            dossier = services.dossier_submit(actor=request.user, enterprise=enterprise, **data)
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã nộp hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("procedures:detail", pk=dossier.pk)
    return render(
        request,
        "procedures/form.html",
        {"form": form, "title": _("Nộp hồ sơ trực tuyến"), "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


@login_required
def desk(request):
    if not permissions.may_receive_at_desk(request.user):
        raise Http404
    form = DeskForm(
        request.POST or None, request.FILES or None, initial={"procedure": request.GET.get("procedure", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["files"] = _files(request)
        data["enterprise"] = Enterprise.objects.filter(tax_code=data["applicant_id"]).first()
        try:
            dossier = services.dossier_receive_at_desk(actor=request.user, **data)
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("procedures:detail", pk=dossier.pk)
    return render(
        request,
        "procedures/form.html",
        {"form": form, "title": _("Tiếp nhận hồ sơ tại Bộ phận một cửa")},
        status=400 if form.errors else 200,
    )


def _transition_form(action: str, dossier: Dossier, data=None, files=None):
    form_class = TRANSITION_FORMS[action]
    kwargs = {"prefix": action}
    if action == "handoff":
        steps = dossier.version.steps or []
        nxt = steps[dossier.step_index + 1] if dossier.step_index + 1 < len(steps) else None
        kwargs["unit"] = unit_by_code(nxt.get("unit", "")) if nxt else None
    if action == "apologise" and data is None:
        kwargs["initial"] = {"new_due_at": timezone.localtime(clock.due(timezone.now(), 3, "working_days"))}
    if action == "request_fee" and data is None:
        kwargs["initial"] = {"amount": dossier.version.fee or None}
    form = form_class(data, files, **kwargs)
    return form


def _render_detail(
    request, dossier: Dossier, action_forms, failed_action: str = "", status: int = 200, number: str = ""
):
    events = dossier.events.select_related("actor", "from_unit", "to_unit")
    return render(
        request,
        "procedures/dossier_detail.html",
        {
            "dossier": dossier,
            "version": dossier.version,
            "events": events,
            "files": dossier.files.all(),
            "action_forms": action_forms,
            "failed_action": failed_action,
            "forms_available": [(f, documents.FORMS[f]) for f in documents.available(dossier)],
            "apology": ApologyLetter.objects.filter(dossier=dossier).first(),
            "is_staff_view": permissions.may_read_internal(request.user),
            "lookup_url": documents.lookup_url(dossier, request),
            "may_reveal": permissions.may_reveal_applicant_id(request.user, dossier),
            "number": number,
        },
        status=status,
    )


def _apply(user, dossier, action, data, files):
    fn = getattr(services, f"dossier_{action}")
    if action in ("supplement", "process"):
        data["files"] = files.getlist(f"{action}-files")
    if action == "request_fee" and data.get("amount") is None:
        data.pop("amount", None)
    if action == "apologise" and data.get("new_due_at") is None:
        raise ServiceError(_("Cần ghi ngày hẹn lại."), field="new_due_at")
    return fn(actor=user, dossier=dossier, **data)


def _after(request, dossier) -> str:
    # A step may take the dossier out of the user's scope (handed to another unit): then the list.
    if Dossier.objects.for_user(request.user).filter(pk=dossier.pk).exists():
        return reverse("procedures:detail", args=[dossier.pk])
    return reverse("procedures:list")


STEPS = TransitionPage(
    workflow=WORKFLOW,
    get_object=lambda request, pk: selectors.dossier_detail(user=request.user, pk=pk),
    form_for=_transition_form,
    apply=_apply,
    render=_render_detail,
    url_for=lambda dossier, action: reverse("procedures:transition", args=[dossier.pk, action]),
    after=_after,
    done_message=lambda dossier, transition: (
        _("Đã %(action)s: hồ sơ %(code)s.") % {"action": transition.label, "code": dossier.code}
    ),
)
transition = STEPS.view()


def _detail(request, dossier: Dossier, number: str = ""):
    return _render_detail(request, dossier, STEPS.action_forms(request.user, dossier), number=number)


@login_required
def dossier_detail(request, pk):
    return STEPS.detail(request, selectors.dossier_detail(user=request.user, pk=pk))


@login_required
@require_POST
def reveal_applicant_id(request, pk):
    """The applicant's full ID or tax code, as an htmx fragment (or the detail page without htmx).
    Audited."""
    dossier = selectors.dossier_detail(user=request.user, pk=pk)
    try:
        number = services.dossier_reveal_applicant_id(actor=request.user, dossier=dossier)
    except ServiceError as exc:
        if not request.htmx:
            raise Http404 from exc
        return render(
            request,
            "procedures/_applicant_id.html",
            {"dossier": dossier, "error": exc.messages[0]},
            status=403,
        )
    if request.htmx:
        response = render(request, "procedures/_applicant_id.html", {"dossier": dossier, "number": number})
    else:
        response = _detail(request, dossier, number=number)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def form_document(request, pk, form, fmt):
    dossier = selectors.dossier_detail(user=request.user, pk=pk)
    if form not in documents.available(dossier) or fmt not in ("pdf", "docx", "md"):
        raise Http404
    data, content_type = documents.render(dossier, form, fmt, request)
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{documents.filename(dossier, form, fmt)}"'
    return response


@login_required
def file_download(request, pk, file_id):
    dossier = selectors.dossier_detail(user=request.user, pk=pk)
    item = get_object_or_404(dossier.files, pk=file_id)
    return uploads.stored_file_response(item.file, filename=item.name, content_type=item.content_type)


def _period(request) -> tuple[dt.date, dt.date, str]:
    """The figures' period and grouping from the query string; a value that is not a date, or a
    grouping that does not exist, is refused naming the field (the year so far by default)."""
    today = timezone.localdate()
    values = {"start": today.replace(month=1, day=1), "end": today}
    for name in values:
        raw = request.GET.get(name, "").strip()
        if raw:
            try:
                values[name] = dt.date.fromisoformat(raw)
            except ValueError:
                raise ServiceError(
                    _("“%(label)s” không phải một ngày (năm-tháng-ngày).")
                    % {"label": selectors.PERIOD_LABELS[name]},
                    field=name,
                ) from None
    start, end = values["start"], values["end"]
    if end < start:
        start, end = end, start
    by = request.GET.get("by", "") or "procedure"
    if by not in selectors.GROUPS:
        raise ServiceError(_("Chỉ nhóm theo thủ tục (procedure) hoặc đơn vị (unit)."), field="by")
    selectors.check_period(start, end)
    return start, end, by


@login_required
def figures(request):
    if not permissions.may_read_figures(request.user):
        raise Http404
    status = 200
    try:
        start, end, by = _period(request)
    except ServiceError as exc:
        flash_errors(request, exc)
        today = timezone.localdate()
        start, end, by, status = today.replace(month=1, day=1), today, "procedure", 400
    result = selectors.figures(user=request.user, start=start, end=end, by=by)
    return render(request, "procedures/figures.html", {"f": result, "by": result.by}, status=status)


# --- public -------------------------------------------------------------------------------------------


def catalogue(request):
    rows = [(p, p.current_version()) for p in selectors.procedure_list()]
    return render(request, "procedures/catalogue.html", {"rows": [r for r in rows if r[1]]})


def catalogue_detail(request, code):
    procedure = get_object_or_404(Procedure.objects.published(), code=code)
    version = procedure.current_version()
    if version is None:
        raise Http404
    return render(
        request,
        "procedures/catalogue_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "versions": procedure.versions.order_by("-number"),
            "can_publish": permissions.may_edit_catalogue(request.user),
        },
    )


@login_required
def catalogue_publish(request, code):
    """The Board's departments publish a new version of a procedure (confirm or correct it)."""
    if not permissions.may_edit_catalogue(request.user):
        raise Http404
    procedure = get_object_or_404(Procedure.objects.published(), code=code)
    current = procedure.versions.order_by("-number").first()
    initial = {"valid_from": timezone.localtime().replace(second=0, microsecond=0)}
    if current is not None:
        initial.update(
            deadline=current.deadline_value,
            deadline_unit=current.deadline_unit,
            fee=current.fee,
            fee_note=current.fee_note,
            legal_basis=current.legal_basis,
            to_be_confirmed=current.to_be_confirmed,
        )
    form = VersionForm(request.POST or None, initial=initial)
    version = submit_form(
        request,
        form,
        lambda data: services.procedure_version_publish(actor=request.user, procedure=procedure, **data),
    )
    detail = reverse("procedures:catalogue_detail", kwargs={"code": procedure.code})
    if version is not None:
        messages.success(
            request,
            _("Đã công bố phiên bản %(n)s của thủ tục %(code)s.")
            % {"n": version.number, "code": procedure.code},
        )
        return redirect(detail)
    return form_page(
        request,
        form,
        title=f"{_('Công bố phiên bản mới')} · {current.name if current else procedure.code}",
        cancel_href=detail,
    )


def lookup(request):
    """The public lookup: the dossier's code and the lookup key printed on its receipt slip (the QR code
    carries both). Attempts are limited per address (core.throttle), found or not."""
    form = LookupForm(request.GET or None, initial={"code": request.GET.get("code", "")})
    dossier, history, not_found, feedback_url, refused, status = None, [], False, None, "", 200
    if request.GET.get("key") and form.is_valid():
        retry = throttle.check(request, "dossier_lookup")
        if retry is not None:
            refused, status = throttle.too_many_message(retry), 429
        else:
            dossier = selectors.public_lookup(**form.cleaned_data)
        if dossier is None and not refused:
            not_found, status = True, 404
        elif dossier is not None:
            history = selectors.public_history(dossier)
            if dossier.status == Status.RETURNED and dossier.handling_unit_id:
                feedback_url = feedback_link("result", dossier.code, unit=dossier.handling_unit_id)
    elif "key" not in request.GET:
        form = LookupForm(initial={"code": request.GET.get("code", "")})
    else:
        status = 400
    response = render(
        request,
        "procedures/lookup.html",
        {
            "form": form,
            "dossier": dossier,
            "history": history,
            "not_found": not_found,
            "feedback_url": feedback_url,
            "refused": refused,
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    return response

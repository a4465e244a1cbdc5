"""Incident pages. The public form and the tracking-code lookup need no sign-in; every other page
starts from the user's scope (out of scope is 404)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from cuakhau.core import policy, throttle, uploads
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.middleware import client_ip
from cuakhau.core.pages import TransitionPage, paginate
from cuakhau.core.views.forms import submit

from . import permissions, selectors, services
from .actions import WORKFLOW
from .forms import TRANSITION_FORMS, PublicReportForm, StaffReportForm, StatsForm, TrackForm
from .models import Incident, IncidentPhoto, Kind, Status
from .photos import max_bytes

PAGE_SIZE = 100
SESSION_CODE = "incident_tracking_code"


def report_limit() -> int:
    return int(getattr(settings, "INCIDENT_PUBLIC_REPORTS_PER_HOUR", 5))


def lookup_limit() -> int:
    return int(getattr(settings, "INCIDENT_PUBLIC_LOOKUPS_PER_HOUR", 30))


def _too_many(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return _(
        "Địa chỉ mạng của bạn đã gửi quá nhiều lần trong một giờ. Vui lòng thử lại sau %(n)s phút, "
        "hoặc gọi đường dây nóng của Trung tâm Quản lý cửa khẩu."
    ) % {"n": minutes}


# --- the public form --------------------------------------------------------------------------------


class PhotoSizeLimit(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit (the other fields still arrive), so a
    huge upload is refused without being written to disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        request.too_large_uploads = set()

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.too_large_uploads.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # the upload handler must be set before the CSRF check reads the body; checked below
@never_cache
def public_report(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, PhotoSizeLimit(request, max_bytes()))
    return _public_report(request)


@csrf_protect
def _public_report(request):
    if request.method != "POST":
        return render(
            request, "incidents/public_report.html", {"form": PublicReportForm(), "limit_mb": _limit_mb()}
        )
    retry = throttle.hit(
        "incident_report", client_ip(request), limit=report_limit(), window=datetime.timedelta(hours=1)
    )
    form = PublicReportForm(request.POST, request.FILES)
    if retry is not None:
        response = render(
            request,
            "incidents/public_report.html",
            {"form": form, "limit_mb": _limit_mb(), "refused": _too_many(retry)},
            status=429,
        )
        response["Retry-After"] = str(retry)
        return response
    if request.POST.get("website"):
        # A bot filled the hidden field: thank it and store nothing.
        return redirect("incidents:public_received")
    too_large = "photo" in getattr(request, "too_large_uploads", set())
    if form.is_valid() and not too_large:
        data = dict(form.cleaned_data)
        data.pop("website", None)
        try:
            # Anonymous by design: even a signed-in visitor's report names no account.
            incident = services.incident_report_public(actor=None, **data)
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            request.session[SESSION_CODE] = incident.tracking_code
            return redirect("incidents:public_received")
    if too_large:
        form.add_error(
            "photo",
            _("%(label)s: tệp quá lớn; tối đa %(max)s MB.") % {"label": _("Ảnh chụp"), "max": _limit_mb()},
        )
    return render(
        request, "incidents/public_report.html", {"form": form, "limit_mb": _limit_mb()}, status=400
    )


def _limit_mb() -> str:
    from .photos import _mb

    return _mb(max_bytes())


@never_cache
def public_received(request):
    code = request.session.pop(SESSION_CODE, "")
    return render(request, "incidents/public_received.html", {"code": code})


@never_cache
def public_track(request):
    form = TrackForm(request.GET or None)
    incident = None
    status = 200
    refused = ""
    if form.is_bound and form.is_valid():
        retry = throttle.hit(
            "incident_lookup", client_ip(request), limit=lookup_limit(), window=datetime.timedelta(hours=1)
        )
        if retry is not None:
            refused, status = _too_many(retry), 429
        else:
            incident = selectors.public_lookup(form.cleaned_data["code"])
            if incident is None:
                form.add_error("code", _("Không tìm thấy phản ánh có mã này. Hãy kiểm tra lại mã."))
                status = 404
    response = render(
        request,
        "incidents/public_track.html",
        {"form": form, "incident": incident, "refused": refused},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(retry)
    return response


# --- staff pages ----------------------------------------------------------------------------------


@login_required
def incident_list(request):
    if not policy.may(request.user, "incidents.list"):
        raise Http404
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    gate_code = request.GET.get("gate", "")
    from cuakhau.gates.models import Gate

    gates = Gate.objects.filter(pk__in=Incident.objects.for_user(request.user).values("gate"))
    gate = gates.filter(code=gate_code).first() if gate_code else None
    incidents = selectors.incident_list(
        user=request.user,
        status=status if status in Status.values else "",
        kind=kind if kind in Kind.values else "",
        gate=gate,
        q=q,
        open_only=status == "open",
    )
    return render(
        request,
        "incidents/incident_list.html",
        {
            "page": paginate(request, incidents, per_page=PAGE_SIZE),
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "gates": gates,
            "status": status,
            "kind": kind,
            "gate_code": gate_code,
            "q": q,
            "can_add": policy.may(request.user, "incidents.record"),
        },
    )


@login_required
def incident_create(request):
    gates = permissions.gates_for_reporting(request.user)
    if not policy.may(request.user, "incidents.record") or not gates.exists():
        raise Http404
    form = StaffReportForm(request.POST or None, request.FILES or None, gates=gates)
    incident = submit(request, form, lambda data: services.incident_record(actor=request.user, **data))
    if incident:
        messages.success(request, _("Đã ghi nhận vụ việc %(code)s.") % {"code": incident.tracking_code})
        return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "title": _("Ghi nhận vụ việc")},
        status=400 if form.errors else 200,
    )


def _transition_form(action: str, incident: Incident, data=None, files=None):
    form_class = TRANSITION_FORMS[action]
    if action == "hand":
        return form_class(data, units=selectors.force_units(incident), prefix=action)
    initial = {}
    if action == "triage":
        initial = {
            "kind": incident.kind,
            "severity": incident.severity,
            "gate": incident.gate_id,
            "yard": incident.yard_id,
        }
    return form_class(data, prefix=action, initial=initial)


def _apply(user, incident, action, data, files=None):
    if action == "reject":
        data["duplicate_of"] = selectors.duplicate_in_scope(user, data.pop("duplicate_of", ""))
    step = getattr(services, f"incident_{action}")
    return step(actor=user, incident=incident, **data)


def _render_detail(request, incident, action_forms, failed_action: str = "", status: int = 200):
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "events": incident.events.select_related("actor"),
            "photos": incident.photos.all(),
            "action_forms": action_forms,
            "failed_action": failed_action,
        },
        status=status,
    )


def _after(request, incident) -> str:
    # A step may take the incident out of the user's scope: then back to the list.
    if Incident.objects.for_user(request.user).filter(pk=incident.pk).exists():
        return reverse("incidents:detail", args=[incident.pk])
    return reverse("incidents:list")


STEPS = TransitionPage(
    workflow=WORKFLOW,
    get_object=lambda request, pk: selectors.incident_detail(user=request.user, pk=pk),
    form_for=_transition_form,
    apply=_apply,
    render=_render_detail,
    url_for=lambda incident, action: reverse("incidents:transition", args=[incident.pk, action]),
    after=_after,
    done_message=lambda incident, transition: (
        _("Đã %(action)s vụ việc %(code)s.") % {"action": transition.label, "code": incident.tracking_code}
    ),
)
incident_transition = STEPS.view()


@login_required
def incident_detail(request, pk):
    incident = selectors.incident_detail(user=request.user, pk=pk)
    return STEPS.detail(request, incident)


@login_required
def photo(request, pk, photo_id):
    incident = selectors.incident_detail(user=request.user, pk=pk)
    try:
        item = incident.photos.get(pk=photo_id)
    except IncidentPhoto.DoesNotExist as exc:
        raise Http404 from exc
    return uploads.stored_file_response(
        item.file, content_type=item.content_type, as_attachment=False, private_cache=True
    )


# --- statistics -----------------------------------------------------------------------------------


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    form = StatsForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["month"]
    return today.year, today.month


@login_required
def stats(request):
    if not policy.may(request.user, "incidents.list"):
        raise Http404
    year, month = _period(request)
    return render(
        request,
        "incidents/stats.html",
        {
            "stats": selectors.monthly_stats(user=request.user, year=year, month=month),
            "by_month": selectors.year_by_month(user=request.user, year=year),
            "kinds": Kind.choices,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "years": range(timezone.localdate().year - 5, timezone.localdate().year + 1),
        },
    )


@login_required
def stats_xlsx(request):
    if not policy.may(request.user, "incidents.list"):
        raise Http404
    year, month = _period(request)
    content = selectors.monthly_stats_xlsx(user=request.user, year=year, month=month)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="vu-viec-{year:04d}-{month:02d}.xlsx"'
    return response

"""Pages for enterprises, customs-agency mandates, vehicles and drivers. Thin: scope, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import CHANGE, VIEW, can, get_for_user_or_404, may_add
from cuakhau.core.views.forms import flash_errors, form_page, submit

from . import permissions, selectors, services
from .forms import DriverForm, EnterpriseForm, MandateForm, MandateRevokeForm, VehicleForm
from .models import AgencyMandate, Country, Driver, Enterprise, Vehicle, VehicleKind

PAGE_SIZE = 200


@login_required
def index(request):
    if not permissions.may_browse(request.user):  # a driver: their own record
        driver = Driver.objects.for_user(request.user).first()
        if driver is None:
            raise Http404
        return redirect("parties:driver_detail", pk=driver.pk)
    enterprise = selectors.own_enterprise(request.user)
    if enterprise is not None:
        return redirect("parties:enterprise_detail", tax_code=enterprise.tax_code)
    return redirect("parties:enterprise_list")


# --- enterprises -----------------------------------------------------------------------------------


@login_required
def enterprise_list(request):
    q = request.GET.get("q", "").strip()
    agent = request.GET.get("agent", "")
    enterprises = selectors.enterprise_list(user=request.user, q=q, customs_agent=agent)
    return render(
        request,
        "parties/enterprise_list.html",
        {
            "enterprises": enterprises[:PAGE_SIZE],
            "total": enterprises.count(),
            "q": q,
            "agent": agent,
            "can_add": may_add(request.user, Enterprise),
        },
    )


@login_required
def enterprise_detail(request, tax_code):
    enterprise = selectors.enterprise_detail(user=request.user, tax_code=tax_code)
    mandates = selectors.mandates_for(user=request.user, enterprise=enterprise)
    return render(
        request,
        "parties/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "can_edit": can(request.user, CHANGE, enterprise),
            "mandates": mandates,
            "can_grant": permissions.mandate_clients(request.user).exists()
            and may_add(request.user, AgencyMandate),
            "revocable": {
                m.pk
                for m in AgencyMandate.objects.for_user(request.user, CHANGE).filter(
                    pk__in=[m.pk for m in mandates], revoked_at__isnull=True
                )
            },
            "vehicles": selectors.vehicle_list(user=request.user, owner=enterprise)[:PAGE_SIZE],
            "drivers": selectors.driver_list(user=request.user, employer=enterprise)[:PAGE_SIZE],
        },
    )


@login_required
def enterprise_create(request):
    if not may_add(request.user, Enterprise):
        raise Http404
    form = EnterpriseForm(request.POST or None)
    enterprise = submit(request, form, lambda data: services.enterprise_register(actor=request.user, **data))
    if enterprise:
        messages.success(request, _("Đã đăng ký doanh nghiệp %(name)s.") % {"name": enterprise.name})
        return redirect("parties:enterprise_detail", tax_code=enterprise.tax_code)
    return form_page(
        request, form, title=_("Đăng ký doanh nghiệp"), cancel_href=reverse("parties:enterprise_list")
    )


@login_required
def enterprise_edit(request, tax_code):
    enterprise = selectors.enterprise_detail(user=request.user, tax_code=tax_code, action=CHANGE)
    board = permissions.may_keep_register(request.user)
    initial = {f: getattr(enterprise, f) for f in ["tax_code", *services.ENTERPRISE_FIELDS]}
    form = EnterpriseForm(request.POST or None, initial=initial, board=board)
    saved = submit(
        request,
        form,
        lambda data: services.enterprise_update(actor=request.user, enterprise=enterprise, **data),
    )
    if saved:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("parties:enterprise_detail", tax_code=saved.tax_code)
    return form_page(
        request,
        form,
        title=_("Sửa: %(name)s") % {"name": enterprise.name},
        cancel_href=enterprise_url(enterprise),
    )


def enterprise_url(enterprise) -> str:
    return reverse("parties:enterprise_detail", kwargs={"tax_code": enterprise.tax_code})


# --- mandates ------------------------------------------------------------------------------------


@login_required
def mandate_create(request):
    if not may_add(request.user, AgencyMandate):
        raise Http404
    clients = permissions.mandate_clients(request.user)
    if not clients.exists():
        raise Http404
    agents = Enterprise.objects.filter(is_customs_agent=True, is_active=True)
    initial = {"client": clients.first()} if clients.count() == 1 else {}
    form = MandateForm(request.POST or None, agents=agents, clients=clients, initial=initial)
    mandate = submit(request, form, lambda data: services.mandate_grant(actor=request.user, **data))
    if mandate:
        messages.success(request, _("Đã ghi hợp đồng đại lý: %(m)s.") % {"m": mandate})
        return redirect("parties:enterprise_detail", tax_code=mandate.client.tax_code)
    return form_page(request, form, title=_("Ủy thác đại lý hải quan"), cancel_href=reverse("parties:index"))


@login_required
@require_POST
def mandate_revoke(request, pk):
    mandate = get_for_user_or_404(AgencyMandate.objects.select_related("client"), request.user, CHANGE, pk=pk)
    form = MandateRevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("Cần ghi lý do chấm dứt."), field="reason")
        services.mandate_revoke(actor=request.user, mandate=mandate, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Đã chấm dứt hợp đồng đại lý."))
    target = mandate.client if can(request.user, VIEW, mandate.client) else mandate.agent
    return redirect("parties:enterprise_detail", tax_code=target.tax_code)


# --- vehicles ------------------------------------------------------------------------------------


@login_required
def vehicle_list(request):
    q = request.GET.get("q", "").strip()
    country = request.GET.get("country", "")
    kind = request.GET.get("kind", "")
    vehicles = selectors.vehicle_list(user=request.user, q=q, country=country, kind=kind)
    return render(
        request,
        "parties/vehicle_list.html",
        {
            "vehicles": vehicles[:PAGE_SIZE],
            "total": vehicles.count(),
            "q": q,
            "country": country,
            "kind": kind,
            "countries": Country.choices,
            "kinds": VehicleKind.choices,
            "can_add": may_add(request.user, Vehicle),
        },
    )


@login_required
def vehicle_detail(request, pk):
    vehicle = selectors.vehicle_detail(user=request.user, pk=pk)
    return render(
        request,
        "parties/vehicle_detail.html",
        {
            "vehicle": vehicle,
            "can_edit": can(request.user, CHANGE, vehicle),
            "owner_visible": vehicle.owner_id and can(request.user, VIEW, vehicle.owner),
        },
    )


def _vehicle_form(request, initial=None):
    return VehicleForm(
        request.POST or None,
        initial=initial,
        owners=permissions.owner_choices(request.user),
        owner_required=not permissions.may_name_no_owner(request.user),
    )


@login_required
def vehicle_create(request):
    if not may_add(request.user, Vehicle):
        raise Http404
    form = _vehicle_form(request)
    vehicle = submit(request, form, lambda data: services.vehicle_register(actor=request.user, **data))
    if vehicle:
        messages.success(request, _("Đã đăng ký phương tiện %(plate)s.") % {"plate": vehicle.plate})
        return redirect("parties:vehicle_detail", pk=vehicle.pk)
    return form_page(
        request, form, title=_("Đăng ký phương tiện"), cancel_href=reverse("parties:vehicle_list")
    )


@login_required
def vehicle_edit(request, pk):
    vehicle = selectors.vehicle_detail(user=request.user, pk=pk, action=CHANGE)
    form = _vehicle_form(request, initial={f: getattr(vehicle, f) for f in services.VEHICLE_FIELDS})
    saved = submit(
        request, form, lambda data: services.vehicle_update(actor=request.user, vehicle=vehicle, **data)
    )
    if saved:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("parties:vehicle_detail", pk=saved.pk)
    return form_page(
        request,
        form,
        title=_("Sửa phương tiện %(plate)s") % {"plate": vehicle.plate},
        cancel_href=reverse("parties:vehicle_detail", kwargs={"pk": vehicle.pk}),
    )


# --- drivers ---------------------------------------------------------------------------------------


@login_required
def driver_list(request):
    q = request.GET.get("q", "").strip()
    nationality = request.GET.get("nationality", "")
    drivers = selectors.driver_list(user=request.user, q=q, nationality=nationality)
    return render(
        request,
        "parties/driver_list.html",
        {
            "drivers": drivers[:PAGE_SIZE],
            "total": drivers.count(),
            "q": q,
            "nationality": nationality,
            "countries": Country.choices,
            "can_add": may_add(request.user, Driver),
        },
    )


@login_required
def driver_detail(request, pk):
    driver = selectors.driver_detail(user=request.user, pk=pk)
    return render(
        request,
        "parties/driver_detail.html",
        {
            "driver": driver,
            "can_edit": can(request.user, CHANGE, driver),
            "may_reveal": permissions.may_reveal_id(request.user, driver),
            "employer_visible": driver.employer_id and can(request.user, VIEW, driver.employer),
        },
    )


@login_required
@require_POST
def driver_reveal_id(request, pk):
    """The full document number, as an htmx fragment (or the detail page without htmx). Audited."""
    driver = selectors.driver_detail(user=request.user, pk=pk)
    try:
        number = services.driver_reveal_id(actor=request.user, driver=driver)
    except ServiceError as exc:
        if not request.htmx:
            raise Http404 from exc
        return render(
            request, "parties/_driver_id.html", {"driver": driver, "error": exc.messages[0]}, status=403
        )
    context = {"driver": driver, "number": number}
    response_template = "parties/_driver_id.html" if request.htmx else "parties/driver_detail.html"
    if not request.htmx:
        context |= {
            "can_edit": can(request.user, CHANGE, driver),
            "may_reveal": True,
            "employer_visible": driver.employer_id and can(request.user, VIEW, driver.employer),
        }
    response = render(request, response_template, context)
    response["Cache-Control"] = "no-store"
    return response


def _driver_form(request, *, editing: Driver | None = None, initial=None):
    form = DriverForm(
        request.POST or None,
        initial=initial,
        employers=permissions.owner_choices(request.user),
        employer_required=not permissions.may_name_no_owner(request.user),
        link_users=permissions.may_keep_register(request.user),
    )
    if editing is not None:
        # The form never carries the stored number: showing it would be an unaudited reading.
        form.fields["id_number"].required = False
        form.fields["id_number"].help_text = _("Đang lưu: %(masked)s. Bỏ trống để giữ nguyên.") % {
            "masked": editing.masked_id
        }
    return form


@login_required
def driver_create(request):
    if not may_add(request.user, Driver):
        raise Http404
    form = _driver_form(request, initial={"nationality": "VN"})
    driver = submit(request, form, lambda data: services.driver_register(actor=request.user, **data))
    if driver:
        messages.success(request, _("Đã đăng ký lái xe %(name)s.") % {"name": driver.full_name})
        return redirect("parties:driver_detail", pk=driver.pk)
    return form_page(request, form, title=_("Đăng ký lái xe"), cancel_href=reverse("parties:driver_list"))


@login_required
def driver_edit(request, pk):
    driver = selectors.driver_detail(user=request.user, pk=pk, action=CHANGE)
    initial = {f: getattr(driver, f) for f in services.DRIVER_FIELDS if f != "id_number"}
    form = _driver_form(request, editing=driver, initial=initial)

    def save(data):
        data = dict(data)
        if not data.get("id_number"):  # blank keeps the stored number
            data.pop("id_number", None)
        return services.driver_update(actor=request.user, driver=driver, **data)

    saved = submit(request, form, save)
    if saved:
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("parties:driver_detail", pk=saved.pk)
    return form_page(
        request,
        form,
        title=_("Sửa lái xe %(name)s") % {"name": driver.full_name},
        cancel_href=reverse("parties:driver_detail", kwargs={"pk": driver.pk}),
    )

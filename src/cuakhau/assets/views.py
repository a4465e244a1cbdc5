"""Pages of the asset register and the leases. Thin: scope, form, service. Out of scope is 404."""

from __future__ import annotations

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core import l10n, uploads
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Enterprise

from . import selectors, services
from .forms import AssetFileForm, AssetForm, LeaseForm, PaymentForm
from .models import Asset, AssetFile, AssetKind, Lease, RentInstalment
from .permissions import is_manager, may_oversee, may_read


def _reader_or_404(user):
    if not may_read(user):
        raise Http404


def _manager_or_404(user):
    if not is_manager(user):
        raise Http404


def _date_inputs(form):
    for field in form.fields.values():
        if isinstance(field, djforms.DateField):
            field.widget = djforms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@login_required
def index(request):
    _reader_or_404(request.user)
    gate = Gate.objects.filter(code=request.GET.get("gate", "")).first()
    kind = request.GET.get("kind", "")
    assets = selectors.asset_list(user=request.user, gate=gate, kind=kind, q=request.GET.get("q", "").strip())
    leases = selectors.current_leases_by_asset(assets.values_list("pk", flat=True))
    gates = Gate.objects.filter(pk__in=Asset.objects.for_user(request.user).values("gate_id"))
    return render(
        request,
        "assets/index.html",
        {
            "rows": [(a, leases.get(a.pk)) for a in assets[:500]],
            "gates": gates,
            "gate": gate,
            "kind": kind,
            "kinds": AssetKind.choices,
            "can_add": is_manager(request.user),
        },
    )


@login_required
def plan(request, gate):
    _reader_or_404(request.user)
    gate_obj = Gate.objects.filter(code=gate).first()
    if gate_obj is None:
        raise Http404
    data = selectors.gate_plan(user=request.user, gate=gate_obj)
    if not data["items"]:
        raise Http404
    return render(request, "assets/plan.html", {"gate": gate_obj, **data})


@login_required
def asset_detail(request, code):
    _reader_or_404(request.user)
    asset = selectors.asset_detail(user=request.user, code=code)
    # The Board sees every lease of the asset; an enterprise only its own (the lease scope).
    leases = Lease.objects.for_user(request.user).filter(asset=asset).select_related("lessee")
    leases = leases.order_by("-starts_on")
    return render(
        request,
        "assets/asset_detail.html",
        {
            "asset": asset,
            "floors": selectors.building_floors(user=request.user, building=asset)
            if asset.kind == AssetKind.BUILDING
            else [],
            "leases": leases,
            "current": selectors.current_leases_by_asset([asset.pk]).get(asset.pk),
            "files": asset.files.all(),
            "auctions": asset.auctions.all() if may_oversee(request.user) else [],
            "can_edit": is_manager(request.user),
            "file_form": AssetFileForm(),
        },
    )


@login_required
def asset_create(request):
    _manager_or_404(request.user)
    form = AssetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        parent = Asset.objects.filter(code=d["parent"]).first() if d["parent"] else None
        try:
            asset = services.asset_create(
                actor=request.user,
                kind=d["kind"],
                code=d["code"],
                name=d["name"],
                gate=d["gate"],
                parent=parent,
                floor=d["floor"],
                area_m2=d["area_m2"],
                parcel_number=d["parcel_number"],
                map_sheet=d["map_sheet"],
                planned_use=d["planned_use"],
                plan=(d["plan_x"], d["plan_y"], d["plan_w"], d["plan_h"]),
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi tài sản %(c)s.") % {"c": asset.code})
            return redirect("assets:asset", code=asset.code)
    return render(
        request,
        "assets/form.html",
        {"form": form, "title": _("Ghi tài sản mới")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def file_add(request, code):
    _manager_or_404(request.user)
    asset = selectors.asset_detail(user=request.user, code=code, action="change")
    form = AssetFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.asset_file_add(
                actor=request.user,
                asset=asset,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ServiceError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Đã đính kèm tệp."))
    else:
        messages.error(request, _("Chọn tệp để đính kèm."))
    return redirect("assets:asset", code=asset.code)


@login_required
def file_download(request, pk):
    # The scope first: a file of an asset outside the user's scope is never fetched (404).
    item = AssetFile.objects.filter(pk=pk, asset__in=Asset.objects.for_user(request.user)).first()
    if item is None:
        raise Http404
    return uploads.stored_file_response(
        item.file,
        as_attachment=item.kind != "photo",
        filename=item.original_name,
        content_type=item.content_type,
    )


@login_required
def leases(request):
    _reader_or_404(request.user)
    status = request.GET.get("status", "active")
    return render(
        request,
        "assets/leases.html",
        {
            "leases": selectors.lease_list(
                user=request.user, status=status, q=request.GET.get("q", "").strip()
            )[:500],
            "status": status,
            "overdue": selectors.overdue_instalments(user=request.user)[:200],
            "due_soon": selectors.due_soon(user=request.user)[:200],
            "expiring": selectors.leases_expiring(user=request.user),
            "totals": selectors.rent_totals(user=request.user),
            "can_add": is_manager(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def lease_detail(request, pk):
    _reader_or_404(request.user)
    lease = selectors.lease_detail(user=request.user, pk=pk)
    form = PaymentForm(initial={"paid_on": timezone.localdate()})
    _date_inputs(form)
    return render(
        request,
        "assets/lease_detail.html",
        {
            "lease": lease,
            "instalments": lease.instalments.all(),
            "can_edit": is_manager(request.user),
            "pay_form": form,
            "today": timezone.localdate(),
            "renewals": lease.renewal_auctions.all() if is_manager(request.user) else [],
            "expiring": selectors.leases_expiring(user=request.user).filter(pk=lease.pk).exists(),
        },
    )


@login_required
def lease_create(request):
    _manager_or_404(request.user)
    form = LeaseForm(request.POST or None, initial={"asset": request.GET.get("asset", "")})
    _date_inputs(form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        asset = Asset.objects.filter(code=d["asset"]).first()
        lessee = Enterprise.objects.filter(tax_code=d["lessee"].strip()).first()
        try:
            if asset is None:
                raise ServiceError(_("Không có tài sản mã này."), field="asset")
            if lessee is None:
                raise ServiceError(_("Không có doanh nghiệp mã số thuế này."), field="lessee")
            lease = services.lease_create(
                actor=request.user,
                number=d["number"],
                asset=asset,
                lessee=lessee,
                signed_on=d["signed_on"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                rent_basis=d["rent_basis"],
                rent_rate=d["rent_rate"],
                interval_months=d["interval_months"],
                escalation_percent=d["escalation_percent"],
                deposit_amount=d["deposit_amount"],
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi hợp đồng %(n)s.") % {"n": lease.number})
            return redirect("assets:lease", pk=lease.pk)
    return render(
        request,
        "assets/form.html",
        {"form": form, "title": _("Ghi hợp đồng thuê")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pay(request, pk):
    _manager_or_404(request.user)
    instalment = RentInstalment.objects.for_user(request.user, "change").filter(pk=pk).first()
    if instalment is None:
        raise Http404
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.rent_payment_record(
                actor=request.user,
                instalment_id=pk,
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ServiceError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi tiền thuê."))
    else:
        messages.error(request, _("Số tiền và ngày nộp là bắt buộc."))
    return redirect("assets:lease", pk=instalment.lease_id)


@login_required
@require_POST
def remind(request):
    _manager_or_404(request.user)
    n = services.rent_reminders_send(actor=request.user)
    messages.success(request, _("Đã nhắc %(n)s kỳ tiền thuê.") % {"n": l10n.format_number(n)})
    return redirect("assets:leases")

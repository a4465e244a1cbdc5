from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import CHANGE, can

from . import selectors, services
from .engine import simple_charge
from .formatting import explain
from .forms import CalculatorForm, TariffReviseForm
from .models import Tariff, TariffStatus


def calculator(request):
    """Public fee calculator (no sign-in): the same engine as gate-in assessment."""
    tariffs = selectors.tariff_codes_in_force()
    form = CalculatorForm(request.GET or None, tariffs=tariffs)
    assessment = tariff = None
    lines: list[str] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        charge = simple_charge(
            flow=data["flow"],
            goods=data["goods"] or None,
            tonnes=data["tonnes"],
            m3=data["m3"],
            container=data["container"],
            vehicle_tonnes=data["vehicle_tonnes"],
            origin=data["origin"],
            taxable=data["taxable"],
            delivered_inland=data["delivered_inland"],
            transship_only=data["transship_only"],
            tariff_code=data["tariff"],
            on=data["on"],
        )
        try:
            assessment, tariff = selectors.fee_quote(charge)
            lines = explain(assessment)
        except ServiceError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    context = {
        "form": form,
        "assessment": assessment,
        "tariff": tariff,
        "lines": lines,
        "show_tariffs": Tariff.objects.for_user(request.user).exists(),
    }
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx answers: the partial carries its own error messages.
        return render(request, "fees/_quote.html", context)
    return render(request, "fees/calculator.html", context, status=400 if form.errors else 200)


@login_required
def tariff_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    tariffs = selectors.tariff_list(user=request.user, q=q, status=status)
    return render(
        request,
        "fees/tariff_list.html",
        {
            "tariffs": tariffs,
            "q": q,
            "status": status,
            "statuses": TariffStatus.choices,
        },
    )


@login_required
def tariff_detail(request, pk):
    tariff = selectors.tariff_detail(user=request.user, pk=pk)
    return render(
        request,
        "fees/tariff_detail.html",
        {
            "tariff": tariff,
            "rules": tariff.rules.all(),
            "history": selectors.tariff_history(user=request.user, tariff=tariff),
            "changes": selectors.rule_changes(tariff=tariff),
            "can_revise": tariff.status == TariffStatus.IN_FORCE and can(request.user, CHANGE, tariff),
        },
    )


@login_required
def tariff_revise(request, pk):
    tariff = selectors.tariff_detail(user=request.user, pk=pk, action=CHANGE)
    if tariff.status != TariffStatus.IN_FORCE:
        raise Http404
    form = TariffReviseForm(request.POST or None, tariff=tariff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.tariff_revise(
                tariff=tariff,
                effective_from=data["effective_from"],
                change_note=data["change_note"],
                rule_changes=form.rule_changes(),
                cap_per_trip=data["cap_per_trip"],
                mixed_load_rule=data["mixed_load_rule"],
            )
        except ServiceError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("Đã ban hành phiên bản %(version)s của biểu phí %(code)s.")
                % {"version": new.version, "code": new.code},
            )
            return redirect("fees:tariff_detail", pk=new.pk)
    return render(
        request,
        "fees/tariff_revise.html",
        {"form": form, "tariff": tariff},
        status=400 if form.errors else 200,
    )

"""A gate's regulation page: capacity and time slots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.views.params import posted_id
from cuakhau.gates.models import Gate

from .. import permissions, services
from ..forms import CapacityForm, SlotForm
from ..models import Capacity, Direction, TimeSlot


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
                slot = get_object_or_404(TimeSlot, pk=posted_id(request, "slot") or 0, gate=gate)
                services.slot_remove(actor=request.user, slot=slot)
                messages.success(request, _("Đã xóa khung giờ."))
                return redirect("traffic:regulation", code=code)
        except ServiceError as exc:
            form_add_errors(slot_form if request.POST.get("form") == "slot" else capacity_form, exc)
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

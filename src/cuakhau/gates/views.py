from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import CHANGE, can, may_add

from . import selectors, services
from .forms import GateForm
from .models import Gate, GateKind, GateMode


@login_required
def gate_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    mode = request.GET.get("mode", "")
    gates = selectors.gate_list(user=request.user, q=q, kind=kind, mode=mode)
    return render(
        request,
        "gates/list.html",
        {
            "gates": gates,
            "q": q,
            "kind": kind,
            "mode": mode,
            "kinds": GateKind.choices,
            "modes": GateMode.choices,
            "can_add": may_add(request.user, Gate),
        },
    )


@login_required
def gate_detail(request, code):
    gate = selectors.gate_detail(user=request.user, code=code)
    return render(request, "gates/detail.html", {"gate": gate, "can_edit": can(request.user, CHANGE, gate)})


def _save(request, form, gate=None):
    data = {k: v for k, v in form.cleaned_data.items() if k != "units"}
    units = list(form.cleaned_data.get("units") or [])
    try:
        if gate is None:
            return services.gate_create(actor=request.user, units=units, **data)
        return services.gate_update(actor=request.user, gate=gate, units=units, **data)
    except ServiceError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(None if field == "__all__" or field not in form.fields else field, error)
        return None


@login_required
def gate_create(request):
    if not may_add(request.user, Gate):
        raise Http404
    form = GateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gate = _save(request, form)
        if gate is not None:
            messages.success(request, _("Đã thêm cửa khẩu %(name)s.") % {"name": gate.name})
            return redirect("gates:detail", code=gate.code)
    return render(
        request, "gates/form.html", {"form": form, "gate": None}, status=400 if form.errors else 200
    )


@login_required
def gate_edit(request, code):
    gate = selectors.gate_detail(user=request.user, code=code)
    if not can(request.user, CHANGE, gate):
        raise Http404
    form = GateForm(request.POST or None, instance=Gate.objects.get(pk=gate.pk))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, gate)
        if saved is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("gates:detail", code=saved.code)
    return render(
        request, "gates/form.html", {"form": form, "gate": gate}, status=400 if form.errors else 200
    )

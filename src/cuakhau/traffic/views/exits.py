"""Gates' exit rules (the Board's page) and a refused exit at the barrier (the operator's page: the
amount due, the VietQR to pay it, why; the supervisor's release form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.permissions import VIEW, get_for_user_or_404

from .. import barrier, permissions, selectors, services
from ..forms import ExitReleaseForm, ExitRuleForm
from ..models import ExceptionReason, ExceptionStatus, GateException


@login_required
def exit_rules(request):
    if not permissions.is_staff_role(request.user):
        raise Http404
    may_set = permissions.may_set_exit_rule(request.user)
    form = ExitRuleForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not may_set:
            raise Http404
        if form.is_valid():
            try:
                services.exit_rule_set(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Đã đặt quy định xe ra của cửa khẩu."))
                return redirect("traffic:exit_rules")
        status = 400
    return render(
        request,
        "traffic/exit_rules.html",
        {"rows": selectors.exit_rules_by_gate(user=request.user), "form": form, "may_set": may_set},
        status=status,
    )


@login_required
def exception_detail(request, pk, form=None, status=200):
    exception = get_for_user_or_404(
        GateException.objects.select_related("event", "event__yard", "gate", "declaration", "resolved_by"),
        request.user,
        VIEW,
        pk=pk,
    )
    declaration = exception.declaration
    unpaid = exception.reason == ExceptionReason.UNPAID
    is_open = exception.status == ExceptionStatus.OPEN
    return render(
        request,
        "traffic/exception_detail.html",
        {
            "x": exception,
            "declaration": declaration,
            "payment": barrier.payment_due(declaration) if unpaid and declaration else None,
            "may_release": unpaid and is_open and permissions.may_release_exit(request.user),
            "can_resolve": is_open and permissions.may_resolve_exceptions(request.user),
            "form": form or ExitReleaseForm(),
        },
        status=status,
    )


@login_required
@require_POST
def exit_release(request, pk):
    exception = get_for_user_or_404(GateException.objects.all(), request.user, VIEW, pk=pk)
    if not permissions.may_release_exit(request.user) or exception.declaration_id is None:
        raise Http404
    form = ExitReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.exit_release(
                actor=request.user, declaration=exception.declaration, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã cho xe ra: lần ra tiếp theo của xe không bị giữ vì phí."))
            return redirect("traffic:exception_detail", pk=pk)
    return exception_detail(request, pk, form=form, status=400)

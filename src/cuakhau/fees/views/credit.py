"""Payers' approved debt limits: what each enterprise may owe in unpaid fees where a gate's exit rule
lets enterprises leave owing (fees.credit). The Board's departments set them; the Board's, gate fee
staff and readers see them with each payer's deposit and debts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.fields import VNIntegerField
from cuakhau.core.models import Unit
from cuakhau.core.roles import UnitKind

from .. import permissions, selectors
from ..models import PayerCreditLimit
from ..services import credit_limit_set


class CreditLimitForm(forms.Form):
    payer_unit = forms.ModelChoiceField(
        label=gettext_lazy("Doanh nghiệp"),
        queryset=Unit.objects.filter(kind=UnitKind.ENTERPRISE, is_active=True).order_by("name"),
    )
    amount = VNIntegerField(label=gettext_lazy("Hạn mức nợ phí (đồng)"), min_value=0)
    decision = forms.CharField(
        label=gettext_lazy("Căn cứ"),
        max_length=255,
        help_text=gettext_lazy("Số, ngày văn bản của Ban duyệt hạn mức; 0 đồng là thu hồi hạn mức."),
    )


@login_required
def credit_limits(request):
    user = request.user
    if not permissions.may_see_credit(user):
        raise Http404
    may_set = permissions.may_set_credit(user)
    form = CreditLimitForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not may_set:
            raise Http404
        if form.is_valid():
            try:
                data = form.cleaned_data
                credit_limit_set(
                    actor=user,
                    payer_unit=data["payer_unit"],
                    amount=data["amount"],
                    decision=data["decision"],
                )
            except ServiceError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu hạn mức nợ phí."))
                return redirect("fees:credit_limits")
        status = 400
    limits = {
        c.unit_id: c for c in PayerCreditLimit.objects.for_user(user).select_related("unit", "approved_by")
    }
    rows = selectors.enterprise_balances(user=user)
    for row in rows:
        row["limit"] = limits.pop(row["unit_id"], None)
    rows += [
        {"unit_id": c.unit_id, "name": c.unit.name, "balance": None, "debt": 0, "limit": c}
        for c in limits.values()
    ]
    return render(
        request, "fees/credit_limits.html", {"rows": rows, "form": form, "may_set": may_set}, status=status
    )

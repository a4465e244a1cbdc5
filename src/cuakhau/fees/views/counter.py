"""The cashier's pages: the counter, and the shift close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n
from cuakhau.core.errors import ServiceError
from cuakhau.core.views.forms import flash_errors

from .. import permissions, selectors
from ..models import AssessmentStatus, CashierShift, Receipt
from ..services import shift_close


@login_required
def counter(request):
    """The cashier's counter: find a due fee at my gates by payment reference, plate or declaration."""
    if not permissions.may_collect(request.user):
        raise Http404
    q = request.GET.get("q", "").strip()
    due = selectors.assessment_list(user=request.user, q=q, status=AssessmentStatus.DUE)
    shift = CashierShift.objects.filter(cashier=request.user, closed_at__isnull=True).first()
    today = Receipt.objects.for_user(request.user).filter(
        issued_by=request.user, issued_on=timezone.localdate()
    )
    return render(
        request,
        "fees/counter.html",
        {"due": due[:50], "q": q, "shift": shift, "today": today.order_by("-number")[:20]},
    )


@login_required
def shift(request):
    if not permissions.may_collect(request.user):
        raise Http404
    current = (
        CashierShift.objects.filter(cashier=request.user, closed_at__isnull=True)
        .select_related("gate")
        .first()
    )
    if request.method == "POST" and current is not None:
        from cuakhau.core.numbers import NumberReadError, read_integer

        try:
            # Whole đồng in the page's language: "1.200.000" on a Vietnamese page; "1,200" is refused
            # with its two readings and a fraction as not whole, never rounded or guessed.
            counted = read_integer(request.POST.get("counted_cash", ""), label=_("Tiền mặt kiểm đếm (đồng)"))
        except NumberReadError as exc:
            messages.error(request, exc.message)
            return redirect("fees:shift")
        try:
            closed = shift_close(
                actor=request.user,
                shift_id=current.pk,
                counted_cash=counted,
                note=request.POST.get("note", ""),
            )
        except ServiceError as exc:
            flash_errors(request, exc)
            return redirect("fees:shift")
        messages.success(
            request, _("Đã đóng ca. Chênh lệch: %(d)s đồng.") % {"d": l10n.format_number(closed.difference)}
        )
        return redirect("fees:shift")
    expected = 0
    cash = []
    if current is not None:
        cash = list(current.payments.filter(method="cash").select_related("receipt").order_by("received_at"))
        expected = sum(p.amount for p in cash)
    history = CashierShift.objects.for_user(request.user).filter(closed_at__isnull=False)[:20]
    return render(
        request, "fees/shift.html", {"shift": current, "cash": cash, "expected": expected, "history": history}
    )

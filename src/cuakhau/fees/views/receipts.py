"""Receipts: the list (and the daily 01/TH-BLĐT summary), one receipt, its PDF and signed XML, its
replacement, and the public lookup."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core import throttle
from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404
from cuakhau.core.views.forms import flash_errors

from .. import documents, permissions, selectors
from ..models import Receipt, ReceiptStatus
from ..services import receipt_replace as replace_receipt
from .base import XLSX, page, parse_day


@login_required
def receipt_list(request):
    day = parse_day(request.GET.get("day", ""), None) if request.GET.get("day") else None
    q = request.GET.get("q", "").strip()
    rows = selectors.receipt_list(user=request.user, day=day, q=q)
    if request.GET.get("export") == "01th" and day:
        collector = rows.first().collector_name if rows.exists() else ""
        data = documents.daily_summary_xlsx(rows.order_by("symbol", "number"), day=day, collector=collector)
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="01-TH-BLDT-{day:%Y%m%d}.xlsx"'
        return response
    return render(
        request,
        "fees/receipt_list.html",
        {"page": page(request, rows), "day": day, "q": q, "today": timezone.localdate()},
    )


def _receipt(request, pk):
    return get_for_user_or_404(
        Receipt.objects.select_related("assessment", "gate", "replaces", "issued_by"), request.user, pk=pk
    )


@login_required
def receipt_detail(request, pk):
    r = _receipt(request, pk)
    return render(
        request,
        "fees/receipt_detail.html",
        {
            "r": r,
            "replaced_by": getattr(r, "replaced_by", None) if r.status == ReceiptStatus.REPLACED else None,
            "can_replace": r.status == ReceiptStatus.ISSUED and permissions.may_replace(request.user, r),
            "lookup_url": documents.public_url(request, r),
            "sample": documents.is_sample(),
        },
    )


def _pdf_response(request, r: Receipt) -> HttpResponse:
    response = HttpResponse(documents.receipt_pdf(r, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{r.symbol}-{r.number_text}.pdf"'
    return response


@login_required
def receipt_pdf(request, pk):
    return _pdf_response(request, _receipt(request, pk))


@login_required
def receipt_xml(request, pk):
    r = _receipt(request, pk)
    response = HttpResponse(documents.receipt_signed_xml(r), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{r.symbol}-{r.number_text}.xml"'
    return response


@login_required
@require_POST
def receipt_replace(request, pk):
    r = _receipt(request, pk)
    if not permissions.may_replace(request.user, r):
        raise Http404
    try:
        new = replace_receipt(
            actor=request.user,
            receipt_id=r.pk,
            reason=request.POST.get("reason", ""),
            payer_name=request.POST.get("payer_name", "").strip(),
            payer_tax_code=request.POST.get("payer_tax_code", "").strip(),
            payer_address=request.POST.get("payer_address", "").strip(),
        )
    except ServiceError as exc:
        flash_errors(request, exc)
        return redirect("fees:receipt_detail", pk=r.pk)
    messages.success(request, _("Đã lập biên lai thay thế số %(n)s.") % {"n": new.number_text})
    return redirect("fees:receipt_detail", pk=new.pk)


def receipt_lookup(request):
    """Public verification (no sign-in): symbol, number and check code, as printed and in the QR."""
    symbol, number, code = (request.GET.get(k, "").strip() for k in ("symbol", "number", "code"))
    r = None
    searched = bool(symbol or number or code)
    if searched:
        # Attempts are limited per address (core.throttle), so that check codes cannot be tried in bulk.
        retry = throttle.check(request, "receipt_lookup")
        if retry is not None:
            return throttle.refused_page(request, retry)
        r = selectors.receipt_public_lookup(symbol=symbol, number=number, code=code)
    if r is not None and request.GET.get("format") == "pdf":
        return _pdf_response(request, r)
    return render(
        request,
        "fees/receipt_lookup.html",
        {
            "r": r,
            "searched": searched,
            "symbol": symbol,
            "number": number,
            "code": code,
            "sample": documents.is_sample(),
        },
        status=404 if searched and r is None else 200,
    )

"""The fees section's front page, and the assessments: the list, one assessment with its payment
notice, and cash collected for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404, may_add
from cuakhau.core.views.forms import flash_errors

from .. import confirmations, documents, permissions, selectors
from ..models import AssessmentStatus, CollectionAccount, FeeAssessment, Tariff
from ..services import payment_collect_cash
from .base import page


@login_required
def assessment_list(request):
    q, status, gate = (
        request.GET.get("q", "").strip(),
        request.GET.get("status", ""),
        request.GET.get("gate", ""),
    )
    rows = selectors.assessment_list(user=request.user, q=q, status=status, gate=gate)
    return render(
        request,
        "fees/assessment_list.html",
        {"page": page(request, rows), "q": q, "status": status, "statuses": AssessmentStatus.choices},
    )


@login_required
def assessment_detail(request, pk):
    a = get_for_user_or_404(
        FeeAssessment.objects.select_related("gate", "payer_unit", "tariff"), request.user, pk=pk
    )
    due = a.status == AssessmentStatus.DUE
    # Provisional (an illustrative rate not yet confirmed): no cash button, the reason instead.
    pending = confirmations.unconfirmed_rules(a) if due else []
    context = {
        "a": a,
        "receipts": a.receipts.order_by("number"),
        "payments": a.payments.order_by("received_at"),
        "can_collect": due and not pending and permissions.may_collect(request.user, a),
        "notice": documents.payment_notice(a) if due else None,
        "provisional": confirmations.provisional_reason(a, pending),
        "provisional_rules": pending,
        "sample": documents.is_sample(),
    }
    return render(request, "fees/assessment_detail.html", context)


@login_required
def assessment_notice_pdf(request, pk):
    """The payment notice of an unpaid assessment, printable (the enterprise sees only its own)."""
    a = get_for_user_or_404(FeeAssessment.objects.select_related("gate", "payer_unit"), request.user, pk=pk)
    if a.status != AssessmentStatus.DUE:
        raise Http404  # paid or exempt: the receipt, not a notice, is the document
    response = HttpResponse(documents.payment_notice_pdf(a, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="thong-bao-nop-phi-{a.payment_reference}.pdf"'
    return response


@login_required
@require_POST
def assessment_collect(request, pk):
    a = get_for_user_or_404(FeeAssessment, request.user, pk=pk)
    try:
        receipt = payment_collect_cash(actor=request.user, assessment_id=a.pk)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        flash_errors(request, exc)
        return redirect("fees:assessment_detail", pk=a.pk)
    messages.success(
        request,
        _("Đã thu tiền mặt và lập biên lai %(s)s số %(n)s.")
        % {"s": receipt.symbol, "n": receipt.number_text},
    )
    return redirect("fees:receipt_detail", pk=receipt.pk)


@login_required
def home(request):
    """The fees section's front page: the pages this role uses, with today's counts in its scope."""
    user = request.user
    today = timezone.localdate()
    assessments = FeeAssessment.objects.for_user(user)
    links = []
    if permissions.may_collect(user):
        links.append(("fees:counter", _("Quầy thu phí"), _("Thu tiền mặt, cấp biên lai.")))
        links.append(("fees:shift", _("Chốt ca"), _("Đối chiếu tiền mặt với biên lai đã cấp.")))
    links.append(("fees:assessment_list", _("Khoản phí"), _("Phí đã tính khi xe vào bãi, đã thu và còn nợ.")))
    links.append(("fees:receipt_list", _("Biên lai"), _("Biên lai điện tử đã cấp: PDF, XML có chữ ký.")))
    if permissions.may_reconcile(user):
        links.append(
            ("fees:payments", _("Thanh toán & sao kê"), _("Nhập sao kê ngân hàng, đối soát chuyển khoản."))
        )
    if may_add(user, CollectionAccount):
        links.append(
            (
                "fees:account_list",
                _("Tài khoản thu"),
                _("Tài khoản ngân hàng mỗi Trung tâm quản lý cửa khẩu nhận tiền phí chuyển khoản."),
            )
        )
    links.append(
        ("fees:revenue", _("Doanh thu"), _("Theo ngày, tháng, năm, cửa khẩu, loại hình; tỷ lệ 10%/90%."))
    )
    if Tariff.objects.for_user(user).exists():
        links.append(("fees:tariff_list", _("Biểu phí"), _("Nghị quyết, phiên bản, lịch sử thay đổi.")))
    links.append(("fees:calculator", _("Tính phí"), _("Máy tính phí công khai theo biểu phí đang áp dụng.")))
    links.append(
        ("fees:receipt_lookup", _("Tra cứu biên lai"), _("Kiểm tra biên lai theo ký hiệu, số và mã tra cứu."))
    )
    counts = {
        "today": assessments.filter(charged_on=today).count(),
        "due": assessments.filter(status=AssessmentStatus.DUE).count(),
    }
    return render(request, "fees/home.html", {"links": links, "counts": counts})

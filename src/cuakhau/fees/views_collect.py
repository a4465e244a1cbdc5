"""Pages of the collection flow: assessments, the cashier's counter, receipts (PDF, signed XML, public
lookup), payments and bank statements, the shift close, revenue. Thin: services and selectors do the work."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.core.permissions import get_for_user_or_404, may_add
from cuakhau.core.roles import READ_ONLY_ROLES, ZONE_WIDE_ROLES, Role, UnitKind
from cuakhau.core.views.forms import form_page, submit

from . import documents, receipts, selectors, statements
from .forms import CollectionAccountForm
from .models import (
    AssessmentStatus,
    BankStatement,
    CashierShift,
    CollectionAccount,
    FeeAssessment,
    LineStatus,
    Payment,
    Receipt,
    ReceiptStatus,
    StatementLine,
    Tariff,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error(request, exc: ServiceError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _day(text: str, default: datetime.date) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime((text or "").strip(), fmt).date()
        except ValueError:
            continue
    return default


def _is_cashier(user) -> bool:
    return getattr(user, "role", "") == Role.GATE_CASHIER


def _is_board(user) -> bool:
    return user.is_superuser or user.role in ZONE_WIDE_ROLES


def _page(request, rows, per=50):
    return Paginator(rows, per).get_page(request.GET.get("page"))


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
        {"page": _page(request, rows), "q": q, "status": status, "statuses": AssessmentStatus.choices},
    )


@login_required
def assessment_detail(request, pk):
    a = get_for_user_or_404(
        FeeAssessment.objects.select_related("gate", "payer_unit", "tariff"), request.user, pk=pk
    )
    context = {
        "a": a,
        "receipts": a.receipts.order_by("number"),
        "payments": a.payments.order_by("received_at"),
        "can_collect": _is_cashier(request.user)
        and a.status == AssessmentStatus.DUE
        and a.gate_id in request.user.gate_ids(),
        "notice": documents.payment_notice(a) if a.status == AssessmentStatus.DUE else None,
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
        receipt = receipts.payment_collect_cash(assessment_id=a.pk, cashier=request.user)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        _error(request, exc)
        return redirect("fees:assessment_detail", pk=a.pk)
    messages.success(
        request,
        _("Đã thu tiền mặt và lập biên lai %(s)s số %(n)s.")
        % {"s": receipt.symbol, "n": receipt.number_text},
    )
    return redirect("fees:receipt_detail", pk=receipt.pk)


@login_required
def counter(request):
    """The cashier's counter: find a due fee at my gates by payment reference, plate or declaration."""
    if not _is_cashier(request.user):
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
def receipt_list(request):
    day = _day(request.GET.get("day", ""), None) if request.GET.get("day") else None
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
        {"page": _page(request, rows), "day": day, "q": q, "today": timezone.localdate()},
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
            "can_replace": r.status == ReceiptStatus.ISSUED
            and (
                _is_board(request.user)
                or (_is_cashier(request.user) and r.gate_id in request.user.gate_ids())
            ),
            "lookup_url": documents.public_url(request, r),
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
    allowed = _is_board(request.user) or (_is_cashier(request.user) and r.gate_id in request.user.gate_ids())
    if not allowed or request.user.role in READ_ONLY_ROLES:
        raise Http404
    try:
        new = receipts.receipt_replace(
            receipt_id=r.pk,
            reason=request.POST.get("reason", ""),
            payer_name=request.POST.get("payer_name", "").strip(),
            payer_tax_code=request.POST.get("payer_tax_code", "").strip(),
            payer_address=request.POST.get("payer_address", "").strip(),
        )
    except ServiceError as exc:
        _error(request, exc)
        return redirect("fees:receipt_detail", pk=r.pk)
    messages.success(request, _("Đã lập biên lai thay thế số %(n)s.") % {"n": new.number_text})
    return redirect("fees:receipt_detail", pk=new.pk)


def receipt_lookup(request):
    """Public verification (no sign-in): symbol, number and check code, as printed and in the QR."""
    symbol, number, code = (request.GET.get(k, "").strip() for k in ("symbol", "number", "code"))
    r = None
    searched = bool(symbol or number or code)
    if searched:
        r = selectors.receipt_public_lookup(symbol=symbol, number=number, code=code)
    if r is not None and request.GET.get("format") == "pdf":
        return _pdf_response(request, r)
    return render(
        request,
        "fees/receipt_lookup.html",
        {"r": r, "searched": searched, "symbol": symbol, "number": number, "code": code},
        status=404 if searched and r is None else 200,
    )


def _may_reconcile(user) -> bool:
    return user.is_superuser or user.role in (Role.DEPARTMENT_STAFF, Role.GATE_CASHIER, Role.ADMIN)


@login_required
def payments(request):
    if request.method == "POST":
        if not _may_reconcile(request.user):
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Chọn tệp sao kê (.csv hoặc .xlsx)."))
        else:
            account = request.POST.get("bank_account", "")
            known = {a["account"] for a in selectors.collection_accounts(user=request.user)}
            try:
                if account and account not in known:
                    raise ServiceError(_("Chọn một tài khoản thu trong danh sách."), field="bank_account")
                st = statements.statement_import(
                    file_name=upload.name, content=upload.read(), bank_account=account
                )
            except ServiceError as exc:
                _error(request, exc)
            else:
                messages.success(
                    request,
                    _("Đã nhập %(n)s dòng, khớp %(m)s.") % {"n": st.line_count, "m": st.matched_count},
                )
                if st.matched_count < st.line_count:
                    return redirect("fees:unmatched")
        return redirect("fees:payments")
    rows = Payment.objects.for_user(request.user).select_related(
        "receipt", "assessment", "payer_unit", "gate"
    )
    return render(
        request,
        "fees/payments.html",
        {
            "page": _page(request, rows),
            "statements": BankStatement.objects.for_user(request.user)[:10],
            "balances": selectors.enterprise_balances(user=request.user),
            "can_import": _may_reconcile(request.user),
            "accounts": selectors.collection_accounts(user=request.user),
            "can_keep_accounts": may_add(request.user, CollectionAccount),
        },
    )


def _require_account_keeper(user) -> None:
    """The collection accounts are kept by the Board's departments (and admins); anyone else is answered
    as if the pages did not exist."""
    if not may_add(user, CollectionAccount):
        raise Http404


@login_required
def account_list(request):
    """Each collecting point with the account it collects into, or the Board's from settings."""
    _require_account_keeper(request.user)
    return render(
        request,
        "fees/account_list.html",
        {"units": selectors.collecting_units(), "board": documents.bank_account()},
    )


@login_required
def account_edit(request, code):
    """Set a gate centre's collection account (receipts.collection_account_set)."""
    _require_account_keeper(request.user)
    unit = get_object_or_404(Unit, code=code, kind=UnitKind.GATE_CENTRE, is_active=True)
    own = CollectionAccount.objects.filter(collector_unit=unit).first()
    initial = (
        {
            "bank_bin": own.bank_bin,
            "account_number": own.account_number,
            "account_name": own.account_name,
            "is_demo": own.is_demo,
        }
        if own is not None
        else {}
    )
    form = CollectionAccountForm(request.POST or None, initial=initial)
    saved = submit(request, form, lambda data: receipts.collection_account_set(collector_unit=unit, **data))
    if saved is not None:
        messages.success(
            request,
            _("Đã lưu tài khoản thu của %(unit)s: %(account)s.")
            % {"unit": unit.name, "account": saved.account_number},
        )
        return redirect("fees:account_list")
    return form_page(
        request,
        form,
        title=_("Tài khoản thu phí — %(unit)s") % {"unit": unit.name},
        cancel_href=reverse("fees:account_list"),
        template="fees/account_form.html",
        context={"unit": unit, "own": own, "board": documents.bank_account()},
    )


@login_required
def unmatched(request):
    lines = (
        StatementLine.objects.for_user(request.user)
        .filter(status=LineStatus.UNMATCHED)
        .select_related("statement")
    )
    if request.method == "POST":
        if not _may_reconcile(request.user):
            raise Http404
        ref = request.POST.get("reference", "").strip().upper()
        assessment = None
        if ref:
            assessment = FeeAssessment.objects.for_user(request.user).filter(payment_reference=ref).first()
            if assessment is None:
                messages.error(request, _("Không tìm thấy khoản phí có mã %(ref)s.") % {"ref": ref})
                return redirect("fees:unmatched")
        try:
            statements.statement_line_resolve(
                line_id=int(request.POST.get("line", "0") or 0),
                note=request.POST.get("note", ""),
                assessment_id=assessment.pk if assessment else None,
            )
        except (ServiceError, ValueError) as exc:
            if isinstance(exc, ServiceError):
                _error(request, exc)
        else:
            messages.success(request, _("Đã xử lý dòng sao kê."))
        return redirect("fees:unmatched")
    return render(
        request, "fees/unmatched.html", {"lines": lines, "can_resolve": _may_reconcile(request.user)}
    )


@login_required
def shift(request):
    if not _is_cashier(request.user):
        raise Http404
    current = (
        CashierShift.objects.filter(cashier=request.user, closed_at__isnull=True)
        .select_related("gate")
        .first()
    )
    if request.method == "POST" and current is not None:
        from cuakhau.core.vnformat import parse_number

        try:
            counted = int(parse_number(request.POST.get("counted_cash", "")))
        except Exception:  # noqa: BLE001 - any unreadable number is bad input
            messages.error(request, _("Số tiền kiểm đếm không hợp lệ."))
            return redirect("fees:shift")
        try:
            closed = receipts.shift_close(
                shift_id=current.pk,
                cashier=request.user,
                counted_cash=counted,
                note=request.POST.get("note", ""),
            )
        except ServiceError as exc:
            _error(request, exc)
            return redirect("fees:shift")
        messages.success(request, _("Đã đóng ca. Chênh lệch: %(d)s đồng.") % {"d": closed.difference})
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


@login_required
def revenue(request):
    today = timezone.localdate()
    date_from = _day(request.GET.get("from", ""), today.replace(day=1))
    date_to = _day(request.GET.get("to", ""), today)
    group = request.GET.get("group", "day")
    try:
        rows, summary = selectors.revenue(
            user=request.user, date_from=date_from, date_to=date_to, group=group
        )
    except ServiceError as exc:
        _error(request, exc)
        return redirect("fees:revenue")
    if request.GET.get("export") == "xlsx":
        return _revenue_xlsx(rows, summary, date_from, date_to, group)
    return render(
        request,
        "fees/revenue.html",
        {
            "rows": rows,
            "summary": summary,
            "date_from": date_from,
            "date_to": date_to,
            "group": group,
            "groups": GROUPS,
        },
    )


GROUPS = [
    ("day", "Ngày"),
    ("month", "Tháng"),
    ("year", "Năm"),
    ("gate", "Cửa khẩu"),
    ("flow", "Loại hình"),
    ("rule", "Quy tắc biểu phí"),
]


def _revenue_xlsx(rows, summary, date_from, date_to, group) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Doanh thu phí"
    ws.append([f"Số thu phí sử dụng hạ tầng cửa khẩu từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(
        [
            dict(GROUPS)[group],
            "Số biên lai",
            "Số thu (đồng)",
            "Để lại 10% (đồng)",
            "Nộp NSNN 90%, tiểu mục 2267 (đồng)",
            "Cùng kỳ năm trước (đồng)",
            "Tăng trưởng (%)",
        ]
    )
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in rows:
        key = r["key"].strftime("%d/%m/%Y") if hasattr(r["key"], "strftime") else str(r["key"] or "")
        ws.append([key, r["count"], r["total"], r["kept"], r["budget"], r["previous"], r["growth"]])
    ws.append(
        [
            "Tổng cộng",
            summary["count"],
            summary["total"],
            summary["kept"],
            summary["budget"],
            summary["previous"],
            summary["growth"],
        ]
    )
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=6):
        for cell in row:
            cell.number_format = "#,##0"
    for col, width in zip("ABCDEFG", (28, 12, 18, 18, 26, 22, 14), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="doanh-thu-phi-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"'
    )
    return response


@login_required
def home(request):
    """The fees section's front page: the pages this role uses, with today's counts in its scope."""
    user = request.user
    today = timezone.localdate()
    assessments = FeeAssessment.objects.for_user(user)
    links = []
    if _is_cashier(user):
        links.append(("fees:counter", _("Quầy thu phí"), _("Thu tiền mặt, cấp biên lai.")))
        links.append(("fees:shift", _("Chốt ca"), _("Đối chiếu tiền mặt với biên lai đã cấp.")))
    links.append(("fees:assessment_list", _("Khoản phí"), _("Phí đã tính khi xe vào bãi, đã thu và còn nợ.")))
    links.append(("fees:receipt_list", _("Biên lai"), _("Biên lai điện tử đã cấp: PDF, XML có chữ ký.")))
    if _may_reconcile(user):
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

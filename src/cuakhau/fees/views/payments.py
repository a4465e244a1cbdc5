"""Payments and bank statements, the unmatched lines, and the collection accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cuakhau.core import l10n
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.core.permissions import may_add
from cuakhau.core.roles import UnitKind
from cuakhau.core.views.forms import flash_errors, form_page, submit

from .. import documents, selectors
from ..forms import CollectionAccountForm
from ..models import BankStatement, CollectionAccount, FeeAssessment, LineStatus, Payment, StatementLine
from ..permissions import may_reconcile
from ..services import collection_account_set, statement_import, statement_line_resolve
from .base import page


@login_required
def payments(request):
    if request.method == "POST":
        if not may_reconcile(request.user):
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
                st = statement_import(
                    actor=request.user, file_name=upload.name, content=upload.read(), bank_account=account
                )
            except ServiceError as exc:
                flash_errors(request, exc)
            else:
                if _report_import(request, st):
                    return redirect("fees:unmatched")
        return redirect("fees:payments")
    rows = Payment.objects.for_user(request.user).select_related(
        "receipt", "assessment", "payer_unit", "gate"
    )
    return render(
        request,
        "fees/payments.html",
        {
            "page": page(request, rows),
            "statements": BankStatement.objects.for_user(request.user)[:10],
            "balances": selectors.enterprise_balances(user=request.user),
            "can_import": may_reconcile(request.user),
            "accounts": selectors.collection_accounts(user=request.user),
            "can_keep_accounts": may_add(request.user, CollectionAccount),
        },
    )


def _report_import(request, statement: BankStatement) -> bool:
    """Say what an imported statement brought: its new transactions and how many matched, and the
    lines already imported from an earlier statement (a bank_ref is counted once). A statement
    imported twice says that nothing new was imported. True when new lines are left to match."""
    already = statement.lines.filter(status=LineStatus.DUPLICATE).count()
    new = statement.line_count - already
    n = l10n.format_number
    if new == 0:
        messages.warning(
            request,
            _(
                "Không có giao dịch mới nào được nhập: cả %(n)s dòng của sao kê “%(file)s” đã được nhập "
                "từ trước."
            )
            % {"n": n(already), "file": statement.file_name},
        )
        return False
    text = _("Đã nhập %(n)s dòng, khớp %(m)s.") % {"n": n(new), "m": n(statement.matched_count)}
    if already:
        text += " " + _("%(d)s dòng đã được nhập từ trước nên bỏ qua.") % {"d": n(already)}
    messages.success(request, text)
    return statement.matched_count < new


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
    """Set a gate centre's collection account (services.collection_account_set)."""
    _require_account_keeper(request.user)
    unit = get_object_or_404(Unit, code=code, kind=UnitKind.GATE_CENTRE, is_active=True)
    own = CollectionAccount.objects.filter(collector_unit=unit).first()
    initial = (
        {
            "bank_bin": own.bank_bin,
            "bank_name": own.bank_name,
            "account_number": own.account_number,
            "account_name": own.account_name,
            "is_demo": own.is_demo,
        }
        if own is not None
        else {}
    )
    form = CollectionAccountForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: collection_account_set(
            actor=request.user,
            collector_unit=unit,
            bank_bin=data["bank_bin"],
            bank_name=data["bank_name"],
            account_number=data["account_number"],
            account_name=data["account_name"],
            is_demo=data["is_demo"],
        ),
    )
    if saved is not None:
        messages.success(
            request,
            _("Đã lưu tài khoản thu của %(unit)s: %(account)s.")
            % {"unit": unit.name, "account": saved.account_number},
            extra_tags="num-raw",  # quotes an account number, an identifier
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
        if not may_reconcile(request.user):
            raise Http404
        ref = request.POST.get("reference", "").strip().upper()
        assessment = None
        if ref:
            assessment = FeeAssessment.objects.for_user(request.user).filter(payment_reference=ref).first()
            if assessment is None:
                messages.error(request, _("Không tìm thấy khoản phí có mã %(ref)s.") % {"ref": ref})
                return redirect("fees:unmatched")
        try:
            statement_line_resolve(
                actor=request.user,
                line_id=int(request.POST.get("line", "0") or 0),
                note=request.POST.get("note", ""),
                assessment_id=assessment.pk if assessment else None,
            )
        except (ServiceError, ValueError) as exc:
            if isinstance(exc, ServiceError):
                flash_errors(request, exc)
        else:
            messages.success(request, _("Đã xử lý dòng sao kê."))
        return redirect("fees:unmatched")
    return render(
        request, "fees/unmatched.html", {"lines": lines, "can_resolve": may_reconcile(request.user)}
    )

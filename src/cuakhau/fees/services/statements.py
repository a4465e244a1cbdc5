"""Bank statement import and reconciliation. A line is matched by the payment reference in its transfer
note (PHI + 8 characters: one assessment) or a deposit reference (KQ + the enterprise's tax code); every
other line is listed for staff to resolve. A bank transaction id is counted once, whatever files repeat it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core import l10n, policy
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.service import service

from ..collecting import DEPOSIT_RE, assessment_account
from ..confirmations import provisional_reason
from ..models import (
    AssessmentStatus,
    BankStatement,
    FeeAssessment,
    LineStatus,
    PaymentMethod,
    StatementLine,
)
from ..statement_files import ParsedLine, parse_statement, references_in
from .balances import _deposit_credit, deposit_record
from .receipts import _lock_due, _settle, _user


def _refuse_unless_reconciler(actor) -> None:
    if actor is not None and not policy.may(actor, "fees.reconcile"):
        raise ServiceError(
            _("Bạn không có quyền thực hiện thao tác này."), field="", code="forbidden", status=403
        )


def _match(line: StatementLine, actor) -> None:
    compact = "".join(line.note.upper().split())
    candidates = references_in(line.note)
    known = {a.payment_reference: a for a in FeeAssessment.objects.filter(payment_reference__in=candidates)}
    if known:
        ref = next((c for c in candidates if c in known and known[c].status == AssessmentStatus.DUE), None)
        ref = ref or next(c for c in candidates if c in known)
        assessment = known[ref]
        if assessment.status != AssessmentStatus.DUE:
            line.problem = _("Khoản phí %(ref)s đã thu trước đó.") % {"ref": ref}
            return
        wanted = line.statement.bank_account
        if wanted:
            # Each centre collects into its own account: money that reached another account does not pay
            # this fee, whatever the note says. Staff resolve the line (refund or transfer between accounts).
            into = assessment_account(assessment)["account"]
            if into != wanted:
                line.problem = _(
                    "Khoản phí %(ref)s thu vào tài khoản %(into)s, không phải tài khoản %(account)s của sao kê này."
                ) % {"ref": ref, "into": into, "account": wanted}
                return
        if line.amount < assessment.amount:
            line.problem = _("Chuyển thiếu: %(got)s / %(due)s đồng.") % {
                "got": l10n.format_number(line.amount),
                "due": l10n.format_number(assessment.amount),
            }
            return
        held = provisional_reason(assessment, short=True)
        if held:
            # Money for a provisional fee is not receipted: the line waits, with the reason, for staff to
            # resolve it once the Board has confirmed the rate (or to refund it).
            line.problem = held[:255]
            return
        _pay_by_line(line, assessment, actor)
        return
    dep = DEPOSIT_RE.search(compact)
    if dep:
        from cuakhau.parties.models import Enterprise

        enterprise = Enterprise.objects.filter(tax_code=dep.group(1)).select_related("unit").first()
        if enterprise is None:
            line.problem = _("Mã ký quỹ %(ref)s không khớp doanh nghiệp nào.") % {"ref": dep.group(0)}
            return
        line.status = LineStatus.MATCHED
        line.save()
        deposit_record(
            actor=actor,
            payer_unit=enterprise.unit,
            amount=line.amount,
            reference=dep.group(0),
            statement_line=line,
        )
        return
    if candidates:
        line.problem = _("Mã thanh toán %(ref)s không có trong hệ thống.") % {"ref": candidates[0]}
        return
    line.problem = _("Nội dung chuyển khoản không có mã thanh toán.")


def _pay_by_line(line: StatementLine, assessment: FeeAssessment, actor) -> None:
    locked = _lock_due(assessment.pk)
    line.status = LineStatus.MATCHED
    line.problem = ""
    line.save()
    receipt = _settle(
        locked, actor=actor, method=PaymentMethod.TRANSFER, payment_kwargs={"statement_line": line}
    )
    excess = line.amount - locked.amount
    if excess > 0 and locked.payer_unit_id:
        # Paid more than due: the rest is the payer's deposit.
        _deposit_credit(
            actor, payer_unit_id=locked.payer_unit_id, amount=excess, reference=locked.payment_reference
        )
    return receipt


def statement_import(*, actor, file_name: str, content: bytes, bank_account: str = "") -> BankStatement:
    """Import a bank statement and reconcile it: matched transfers are receipted at once. The file is
    read and checked before the transaction opens (so this function is not a service itself: the write
    is, `_statement_write`)."""
    _refuse_unless_reconciler(actor)
    parsed = parse_statement(file_name=file_name, content=content)
    return _statement_write(actor=actor, file_name=file_name, bank_account=bank_account, parsed=parsed)


@service
def _statement_write(*, actor, file_name: str, bank_account: str, parsed: list[ParsedLine]) -> BankStatement:
    statement = BankStatement.objects.create(
        file_name=file_name[:255],
        bank_account=bank_account[:32],
        imported_by=_user(actor),
        line_count=len(parsed),
    )
    matched = 0
    for p in parsed:
        seen = StatementLine.objects.filter(bank_ref=p.bank_ref).exclude(status=LineStatus.DUPLICATE).exists()
        line = StatementLine(
            statement=statement,
            row=p.row,
            bank_ref=p.bank_ref,
            booked_on=p.booked_on,
            amount=p.amount,
            note=p.note,
            counterparty=p.counterparty,
            status=LineStatus.UNMATCHED,
        )
        if seen:
            line.status = LineStatus.DUPLICATE
            line.problem = _("Giao dịch đã nhập ở sao kê trước.")
            line.save()
            continue
        line.save()
        _match(line, actor)
        if line.status == LineStatus.UNMATCHED:
            line.save(update_fields=["problem"])
        else:
            matched += 1
    statement.matched_count = matched
    statement.save(update_fields=["matched_count"])
    audit_record(action="fees.statement.import", obj=statement, actor=actor, after=snapshot(statement))
    return statement


@service
def statement_line_resolve(
    *, actor, line_id: int, note: str, assessment_id: int | None = None, deposit_unit_id: int | None = None
) -> StatementLine:
    """Staff resolve an unmatched line: pay an assessment with it (amount at least the fee), credit it to an
    enterprise's deposit, or record what was done outside (refund, other revenue) in the note."""
    _refuse_unless_reconciler(actor)
    line = StatementLine.objects.select_for_update().filter(pk=line_id, status=LineStatus.UNMATCHED).first()
    if line is None:
        raise NotFound(_("Không tìm thấy dòng sao kê chưa khớp."), field="line")
    if not (note or "").strip():
        raise ServiceError(_("Ghi rõ cách xử lý."), field="note")
    before = snapshot(line, ["status", "problem", "resolution"])
    if assessment_id:
        assessment = FeeAssessment.objects.filter(pk=assessment_id).first()
        if assessment is None:
            raise ServiceError(_("Không có khoản phí này."), field="assessment")
        if line.amount < assessment.amount:
            raise ServiceError(_("Số tiền của dòng nhỏ hơn khoản phí."), field="assessment")
        _pay_by_line(line, assessment, actor)
    elif deposit_unit_id:
        from cuakhau.core.models import Unit

        unit = Unit.objects.filter(pk=deposit_unit_id).first()
        if unit is None:
            raise ServiceError(_("Không có đơn vị này."), field="deposit_unit")
        line.status = LineStatus.MATCHED
        line.save()
        deposit_record(
            actor=actor, payer_unit=unit, amount=line.amount, reference=line.bank_ref, statement_line=line
        )
    line.status = LineStatus.RESOLVED if not assessment_id and not deposit_unit_id else LineStatus.MATCHED
    line.resolution = note.strip()[:500]
    line.resolved_by = _user(actor)
    line.save()
    audit_record(
        action="fees.statement_line.resolve",
        obj=line,
        actor=actor,
        before=before,
        after=snapshot(line, ["status", "problem", "resolution"]),
    )
    return line

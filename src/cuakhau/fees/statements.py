"""Bank statement import and reconciliation. A line is matched by the payment reference in its transfer
note (PHI + 8 characters: one assessment) or a deposit reference (KQ + the enterprise's tax code); every
other line is listed for staff to resolve. A bank transaction id is counted once, whatever files repeat it.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core import l10n, numbers, uploads
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError

from .balances import deposit_credit, deposit_record
from .confirmations import provisional_reason
from .models import (
    AssessmentStatus,
    BankStatement,
    FeeAssessment,
    LineStatus,
    PaymentMethod,
    StatementLine,
)
from .receipts import (
    DEPOSIT_RE,
    REFERENCE_RE,
    _actor,
    _lock_due,
    _settle,
    assessment_account,
)

HEADERS = {
    "date": ("ngay", "ngay giao dich", "ngay gd", "date", "booking date", "transaction date"),
    "amount": ("so tien", "so tien ghi co", "ghi co", "credit", "amount", "so tien co"),
    "note": ("noi dung", "dien giai", "noi dung chuyen khoan", "description", "note", "remark"),
    "bank_ref": ("ma giao dich", "so tham chieu", "so but toan", "reference", "ref", "transaction id"),
    "counterparty": ("nguoi chuyen", "ten nguoi chuyen", "doi tac", "counterparty", "payer"),
}
MAX_LINES = 20_000


@dataclass
class ParsedLine:
    row: int
    booked_on: datetime.date
    amount: int
    note: str
    bank_ref: str
    counterparty: str


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").lower().split())


def _date(value, row: int) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ServiceError(
        _("Dòng %(row)s: ngày %(v)s không đọc được (dd/mm/yyyy).") % {"row": row, "v": text}, field="file"
    )


CURRENCY_MARK_RE = re.compile(r"\s|đ|vnđ|vnd", re.IGNORECASE)


def _amount(value, row: int) -> int:
    """A line's amount in whole đồng: a number cell as it is; text ("1.200.000 đ", "+1.200.000,00")
    read by core.numbers in the language of the person importing (the active one), never guessed:
    "1,200" on a Vietnamese page is refused with its two readings, not taken as 1200 or 1,2."""
    if isinstance(value, str) or value is None:
        value = CURRENCY_MARK_RE.sub("", value or "").removeprefix("+")
    try:
        number = numbers.to_number(value, label=_("Số tiền"))
    except numbers.NumberReadError as exc:
        raise ServiceError(
            _("Dòng %(row)s: %(message)s") % {"row": row, "message": exc.message}, field="file"
        ) from None
    if number != number.to_integral_value():
        raise ServiceError(
            _("Dòng %(row)s: số tiền %(v)s có phần lẻ dưới một đồng.")
            % {"row": row, "v": l10n.format_number(number)},
            field="file",
        )
    return int(number)


def _columns(header: list) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    found = {}
    for key, names in HEADERS.items():
        for i, name in enumerate(folded):
            if name in names:
                found[key] = i
                break
    missing = [k for k in ("date", "amount", "note", "bank_ref") if k not in found]
    if missing:
        raise ServiceError(
            _("Tệp sao kê thiếu cột: %(cols)s (cần ngày, số tiền, nội dung, mã giao dịch).")
            % {"cols": ", ".join(missing)},
            field="file",
        )
    return found


def parse_statement(*, file_name: str, content: bytes) -> list[ParsedLine]:
    """CSV (UTF-8, comma or semicolon) or Excel (.xlsx) with a header row; credit lines only. Read by
    core.uploads within the upload limits (size, uncompressed size, STATEMENT_MAX_ROWS rows, columns):
    it writes nothing, so it runs before the import's transaction opens."""
    from django.conf import settings

    limits = uploads.limits(max_rows=settings.STATEMENT_MAX_ROWS)
    name = file_name.lower()
    if name.endswith(".xlsx"):
        try:
            rows = [list(r) for _n, r in uploads.read_table(content, "statement.xlsx", limits)]
        except ServiceError as exc:
            if exc.status == 400:  # not a workbook: the statement's own words
                raise ServiceError(_("Không đọc được tệp Excel."), field="file") from exc
            raise
    elif name.endswith(".csv"):
        uploads.check_size(content, limits)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError(_("Tệp CSV phải mã hóa UTF-8."), field="file") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        except csv.Error:
            dialect = csv.excel
        rows = [list(r) for _n, r in uploads.csv_rows(text, limits, delimiter=dialect.delimiter)]
    else:
        raise ServiceError(_("Chỉ nhận tệp .csv hoặc .xlsx."), field="file")
    rows = [r for r in rows if any(str(c or "").strip() for c in r)]
    if not rows:
        raise ServiceError(_("Tệp sao kê trống."), field="file")
    if len(rows) > MAX_LINES:
        raise ServiceError(
            _("Tệp quá lớn (tối đa %(n)s dòng).") % {"n": l10n.format_number(MAX_LINES)}, field="file"
        )
    cols = _columns(rows[0])
    lines = []
    for i, r in enumerate(rows[1:], start=2):

        def cell(k, r=r):
            return r[cols[k]] if k in cols and cols[k] < len(r) else ""

        amount = _amount(cell("amount"), i)
        if amount <= 0:
            continue  # debits and zero lines are not fee receipts
        bank_ref = str(cell("bank_ref") or "").strip()
        if not bank_ref:
            raise ServiceError(_("Dòng %(row)s: thiếu mã giao dịch.") % {"row": i}, field="file")
        lines.append(
            ParsedLine(
                row=i,
                booked_on=_date(cell("date"), i),
                amount=amount,
                note=str(cell("note") or "").strip()[:500],
                bank_ref=bank_ref[:64],
                counterparty=str(cell("counterparty") or "").strip()[:255],
            )
        )
    return lines


REFERENCE_WORD_RE = re.compile(r"(?<![A-Z0-9])(" + REFERENCE_RE.pattern + r")(?![A-Z0-9])")
REFERENCE_ANYWHERE_RE = re.compile(r"(?=(" + REFERENCE_RE.pattern + r"))")


def references_in(note: str) -> list[str]:
    """Payment references a transfer note may carry, most likely first: those standing as a word, then any
    found with the spaces taken out (banking apps break long notes). "PHI" is also the unaccented "phí"
    (fee) that payers write before the reference ("CK PHI HA TANG PHI…"), so every candidate is tried,
    not only the first."""
    upper = (note or "").upper()
    found = REFERENCE_WORD_RE.findall(upper)
    found += REFERENCE_ANYWHERE_RE.findall("".join(upper.split()))
    return list(dict.fromkeys(found))


def _match(line: StatementLine) -> None:
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
        _pay_by_line(line, assessment)
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
            payer_unit=enterprise.unit, amount=line.amount, reference=dep.group(0), statement_line=line
        )
        return
    if candidates:
        line.problem = _("Mã thanh toán %(ref)s không có trong hệ thống.") % {"ref": candidates[0]}
        return
    line.problem = _("Nội dung chuyển khoản không có mã thanh toán.")


def _pay_by_line(line: StatementLine, assessment: FeeAssessment) -> None:
    locked = _lock_due(assessment.pk)
    line.status = LineStatus.MATCHED
    line.problem = ""
    line.save()
    receipt = _settle(locked, method=PaymentMethod.TRANSFER, payment_kwargs={"statement_line": line})
    excess = line.amount - locked.amount
    if excess > 0 and locked.payer_unit_id:
        # Paid more than due: the rest is the payer's deposit.
        deposit_credit(payer_unit_id=locked.payer_unit_id, amount=excess, reference=locked.payment_reference)
    return receipt


def statement_import(*, file_name: str, content: bytes, bank_account: str = "") -> BankStatement:
    """Import a bank statement and reconcile it: matched transfers are receipted at once. The file is
    read and checked before the transaction opens."""
    parsed = parse_statement(file_name=file_name, content=content)
    return _statement_write(file_name=file_name, bank_account=bank_account, parsed=parsed)


@transaction.atomic
def _statement_write(*, file_name: str, bank_account: str, parsed: list[ParsedLine]) -> BankStatement:
    statement = BankStatement.objects.create(
        file_name=file_name[:255],
        bank_account=bank_account[:32],
        imported_by=_actor(),
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
        _match(line)
        if line.status == LineStatus.UNMATCHED:
            line.save(update_fields=["problem"])
        else:
            matched += 1
    statement.matched_count = matched
    statement.save(update_fields=["matched_count"])
    audit_record(action="statement.import", obj=statement, after=snapshot(statement))
    return statement


@transaction.atomic
def statement_line_resolve(
    *, line_id: int, note: str, assessment_id: int | None = None, deposit_unit_id: int | None = None
) -> StatementLine:
    """Staff resolve an unmatched line: pay an assessment with it (amount at least the fee), credit it to an
    enterprise's deposit, or record what was done outside (refund, other revenue) in the note."""
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
        _pay_by_line(line, assessment)
    elif deposit_unit_id:
        from cuakhau.core.models import Unit

        unit = Unit.objects.filter(pk=deposit_unit_id).first()
        if unit is None:
            raise ServiceError(_("Không có đơn vị này."), field="deposit_unit")
        line.status = LineStatus.MATCHED
        line.save()
        deposit_record(payer_unit=unit, amount=line.amount, reference=line.bank_ref, statement_line=line)
    line.status = LineStatus.RESOLVED if not assessment_id and not deposit_unit_id else LineStatus.MATCHED
    line.resolution = note.strip()[:500]
    line.resolved_by = _actor()
    line.save()
    audit_record(
        action="statement_line.resolve",
        obj=line,
        before=before,
        after=snapshot(line, ["status", "problem", "resolution"]),
    )
    return line

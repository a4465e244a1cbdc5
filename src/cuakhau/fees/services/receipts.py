"""E-receipts and the payments that produce them. Every write here is a service (core.service) with one audit
event per document; fees.services re-exports them.

When a receipt is issued: on collection, as Decree 254/2026 art. 23 and Circular 91/2026
describe the receipt — the document the collector hands over when it receives a fee. Collection is cash at
the counter, a bank transfer matched from the statement, or, at gate-in, a debit from the enterprise's
prepaid deposit. An unpaid assessment is a debt with a payment reference and a VietQR; it has no receipt.
No receipt is issued on a provisional assessment (an illustrative rate not yet confirmed by the Board):
see confirmations.py.

Numbers (receipts.md): one series per collecting point (the gate centre) per year, form symbol EBL01/EBL02
and receipt symbol YYT + two letters; numbers 1..99,999,999 in ascending order, gapless, restarting every
year. The series row is the counter: core.sequences.take_next takes the next number (UPDATE ...
RETURNING, one statement), which locks the row for update until the receipt's transaction ends, so a
rollback gives the number back and a concurrent issuer waits for it.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n, policy, sealed_rows, sequences
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import may_add
from cuakhau.core.roles import UnitKind
from cuakhau.core.service import service
from cuakhau.core.vnformat import amount_in_words

from ..collecting import (
    ACCOUNT_NAME_RE,
    ACCOUNT_NUMBER_RE,
    BANK_BIN_RE,
    BANK_NAME_MAX,
    CODE_ALPHABET,
    FEE_NAME,
    RECEIPT_NAME,
    SYMBOL_LETTERS,
    bank_account_name,
    collecting_point,
    collector_info,
    payer_info,
    validate_symbols,
)
from ..confirmations import ensure_receiptable
from ..models import (
    MAX_RECEIPT_NUMBER,
    AssessmentStatus,
    CashierShift,
    CollectionAccount,
    FeeAssessment,
    FormSymbol,
    Payment,
    PaymentMethod,
    Receipt,
    ReceiptSeries,
    ReceiptStatus,
)


def _user(actor):
    """The actor as recorded on a row (issued_by, received_by): None for the system."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _code(n: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(n))


# --- collection accounts and series ------------------------------------------------------------------


@service
def collection_account_set(
    *,
    actor,
    collector_unit,
    bank_bin: str,
    bank_name: str,
    account_number: str,
    account_name: str,
    is_demo: bool = False,
) -> CollectionAccount:
    """Set the bank account a Border Gate Management Centre collects its fees into (each centre is a
    collecting organisation with its own account; Decree 254/2026 on fee collection by the collecting
    organisation). Kept by the Board's departments, like the centre's receipt series; one audit event
    with the account before and after. The name is stored as the bank prints it (bank_account_name):
    "Trung tâm Hữu Nghị" becomes "TRUNG TAM HUU NGHI". The bank's name is entered with the account and
    printed as entered (spaces collapsed): a BIN alone names no bank without a checked list of NAPAS
    members, which this project does not keep."""
    if actor is not None and not may_add(actor, CollectionAccount):
        raise NotFound(_("Không tìm thấy điểm thu."), field="collector_unit")
    if collector_unit is None or collector_unit.kind != UnitKind.GATE_CENTRE:
        raise ServiceError(_("Điểm thu phải là một Trung tâm quản lý cửa khẩu."), field="collector_unit")
    bank_bin = (bank_bin or "").strip()
    account_number = "".join((account_number or "").split())
    bank_name = " ".join((bank_name or "").split())
    account_name = bank_account_name(account_name)
    if not BANK_BIN_RE.match(bank_bin):
        raise ServiceError(_("Mã ngân hàng (BIN) gồm 6 chữ số, ví dụ 970436."), field="bank_bin")
    if not bank_name or len(bank_name) > BANK_NAME_MAX:
        raise ServiceError(_("Nhập tên ngân hàng (tối đa 120 ký tự)."), field="bank_name")
    if not ACCOUNT_NUMBER_RE.match(account_number):
        raise ServiceError(_("Số tài khoản gồm 6 đến 19 chữ số hoặc chữ cái."), field="account_number")
    if not account_name or len(account_name) > 255:
        raise ServiceError(_("Nhập tên tài khoản (tối đa 255 ký tự)."), field="account_name")
    if not ACCOUNT_NAME_RE.match(account_name):
        raise ServiceError(
            _("Tên tài khoản chỉ gồm chữ cái, chữ số, dấu cách và các dấu . , - & ( ) / ' như ngân hàng in."),
            field="account_name",
        )
    account = CollectionAccount.objects.select_for_update().filter(collector_unit=collector_unit).first()
    fields = ["bank_bin", "bank_name", "account_number", "account_name", "is_demo"]
    before = snapshot(account, fields) if account is not None else None
    if account is None:
        account = CollectionAccount(collector_unit=collector_unit)
    account.bank_bin, account.bank_name, account.account_number = bank_bin, bank_name, account_number
    account.account_name, account.is_demo = account_name, bool(is_demo)
    account.updated_at = timezone.now()
    account.save()
    audit_record(
        action="fees.collection_account.set",
        obj=account,
        actor=actor,
        before=before,
        after=snapshot(account, fields),
    )
    return account


def _free_letters(year: int, prefer: str = "") -> str:
    used = set(ReceiptSeries.objects.filter(year=year).values_list("symbol", flat=True))
    if prefer and f"{year % 100:02d}T{prefer}" not in used:
        return prefer
    for a in SYMBOL_LETTERS:
        for b in SYMBOL_LETTERS:
            if f"{year % 100:02d}T{a}{b}" not in used:
                return a + b
    raise ServiceError(_("Hết ký hiệu biên lai cho năm %(year)s.") % {"year": year}, field="symbol")


@service
def receipt_series_create(
    *,
    actor,
    collector_unit,
    year: int,
    symbol: str = "",
    form_symbol: str = FormSymbol.EBL01,
    name: str = RECEIPT_NAME,
) -> ReceiptSeries:
    """Register a collecting point's series for a year. Without a symbol, the point keeps last year's two
    letters (or takes the first free pair). The Board's departments register one; the system (actor
    None) opens the year's series when a receipt is the first of its year (`series_for`)."""
    if actor is not None and not may_add(actor, ReceiptSeries):
        raise NotFound(_("Không tìm thấy điểm thu."), field="collector_unit")
    return _series_create(actor, collector_unit, year, symbol=symbol, form_symbol=form_symbol, name=name)


def _series_create(actor, collector_unit, year: int, *, symbol: str = "", form_symbol: str, name: str):
    if collector_unit.kind != UnitKind.GATE_CENTRE:
        raise ServiceError(_("Điểm thu phải là một Trung tâm quản lý cửa khẩu."), field="collector_unit")
    if not symbol:
        last = ReceiptSeries.objects.filter(collector_unit=collector_unit).order_by("-year").first()
        symbol = f"{year % 100:02d}T" + _free_letters(year, last.symbol[3:] if last else "")
    validate_symbols(form_symbol=form_symbol, symbol=symbol, year=year)
    if ReceiptSeries.objects.filter(collector_unit=collector_unit, year=year).exists():
        raise ServiceError(_("Điểm thu này đã có ký hiệu cho năm %(year)s.") % {"year": year}, field="year")
    if ReceiptSeries.objects.filter(form_symbol=form_symbol, symbol=symbol).exists():
        raise ServiceError(_("Ký hiệu %(s)s đã được dùng.") % {"s": symbol}, field="symbol")
    series = ReceiptSeries.objects.create(
        collector_unit=collector_unit, year=year, form_symbol=form_symbol, symbol=symbol, name=name
    )
    audit_record(action="fees.receipt_series.create", obj=series, actor=actor, after=snapshot(series))
    return series


@service
def series_for(*, actor, gate, year: int) -> ReceiptSeries:
    """The collecting point's series for the year, opened by the system if the year has none yet (the
    first receipt of a year): whoever issues that receipt may open it, whatever their role."""
    return _series_for(gate, year)


def _series_for(gate, year: int) -> ReceiptSeries:
    """`series_for` inside the issuing transaction, whatever opened it (a service, or the gate-in that
    `fee_assess` joins): a savepoint around the opening, taken only on a year's first receipt."""
    unit = collecting_point(gate)
    series = ReceiptSeries.objects.filter(collector_unit=unit, year=year).first()
    if series is not None:
        return series
    try:
        with transaction.atomic():
            return _series_create(None, unit, year, form_symbol=FormSymbol.EBL01, name=RECEIPT_NAME)
    except (IntegrityError, ServiceError):
        # Another issuer opened the year's series first.
        series = ReceiptSeries.objects.filter(collector_unit=unit, year=year).first()
        if series is None:
            raise
        return series


# --- issuing --------------------------------------------------------------------------------------


# --- issuing --------------------------------------------------------------------------------------


def _lines(assessment: FeeAssessment) -> list[dict]:
    detail = assessment.source_label or f"{assessment.source} {assessment.source_id}"
    return [
        {
            "name": FEE_NAME,
            "detail": f"{detail} — {assessment.tariff_code} v{assessment.tariff_version}, {assessment.rule_key}",
            "amount": assessment.amount,
            "amount_words": amount_in_words(assessment.amount),
        }
    ]


def _issue(
    *,
    actor,
    assessment: FeeAssessment,
    method: str,
    replaces: Receipt | None = None,
    reason: str = "",
    payer: dict | None = None,
) -> Receipt:
    """Allocate the next number and write the receipt. Must run inside the caller's transaction: the
    counter row stays locked until that transaction ends, so a rollback gives the number back.
    Every receipt passes here, so here a provisional assessment is refused (fees.confirmations)."""
    ensure_receiptable(assessment)
    now = timezone.now()
    day = timezone.localdate(now)
    unit = collecting_point(assessment.gate)
    locked = _take_number(unit_id=unit.pk, year=day.year)
    if locked is None:
        series = _series_for(assessment.gate, day.year)  # opens the year's series if new
        locked = _take_number(unit_id=unit.pk, year=day.year)
        if locked is None:
            raise ServiceError(
                _("Ký hiệu %(s)s đã dùng hết 8 chữ số.") % {"s": series.symbol}, field="series"
            )
    number = locked.last_number
    collector = collector_info(unit)
    payer = payer or payer_info(assessment.payer_unit)
    receipt = Receipt.objects.create(
        series=locked,
        number=number,
        form_symbol=locked.form_symbol,
        symbol=locked.symbol,
        name=locked.name,
        check_code=_code(10),
        assessment=assessment,
        gate=assessment.gate,
        payer_unit=assessment.payer_unit,
        collector_name=collector["name"],
        collector_tax_code=collector["tax_code"],
        collector_address=collector["address"],
        payer_name=payer["name"][:255],
        payer_tax_code=payer["tax_code"][:14],
        payer_address=payer["address"][:500],
        lines=_lines(assessment),
        amount=assessment.amount,
        amount_words=amount_in_words(assessment.amount),
        method=method,
        issued_at=now,
        issued_on=day,
        issued_by=_user(actor),
        replaces=replaces,
        replace_reason=reason,
    )
    # Signed now, in the issuing transaction: the XML handed over later is the one signed from the row as
    # issued, and its digest is sealed in the chain with the row (fees.apps registers Receipt).
    from ..documents import receipt_signed_xml

    try:
        receipt.signed_xml = receipt_signed_xml(receipt).decode("utf-8")
    except FileNotFoundError as exc:
        # A configured certificate that is not there: no receipt can be issued unsigned.
        raise ServiceError(
            _(
                "Không ký được biên lai: không tìm thấy chứng thư ký số (CUAKHAU_RECEIPT_CERT, CUAKHAU_RECEIPT_KEY)."
            ),
            field="receipt",
            status=503,
        ) from exc
    return receipt


def _audit_issue(receipt: Receipt, actor) -> None:
    """The receipt's event, written after the rows it seals (the receipt, its payment): the chain keeps
    their legal fields as they were issued (core.sealed_rows)."""
    audit_record(
        action="fees.receipt.replace" if receipt.replaces_id else "fees.receipt.issue",
        obj=receipt,
        actor=actor,
        after=snapshot(
            receipt,
            [
                "form_symbol",
                "symbol",
                "number",
                "assessment",
                "amount",
                "method",
                "payer_name",
                "payer_tax_code",
                "replaces",
                "replace_reason",
            ],
        ),
    )


def _take_number(*, unit_id: int, year: int) -> ReceiptSeries | None:
    """The next number of the collecting point's series for the year, taken by core.sequences.take_next
    (one UPDATE ... RETURNING that keeps the series row locked until the caller's transaction ends).
    None if the year has no series yet or its 8 digits are used up. The series returned carries the new
    number as last_number."""
    row = sequences.take_next(
        ReceiptSeries,
        key={"collector_unit": unit_id, "year": year},
        limit=MAX_RECEIPT_NUMBER,
        returning=["id", "form_symbol", "symbol", "name"],
    )
    if row is None:
        return None
    return ReceiptSeries(collector_unit_id=unit_id, year=year, **row)


def _lock_due(assessment_id: int, *, gate_ids: list[int] | None = None) -> FeeAssessment:
    """The assessment, locked; with gate_ids, only one at those gates (else NotFound)."""
    rows = FeeAssessment.objects.select_for_update(of=("self",)).select_related("gate", "payer_unit")
    if gate_ids is None:
        assessment = rows.get(pk=assessment_id)
    else:
        assessment = rows.filter(pk=assessment_id, gate_id__in=gate_ids).first()
        if assessment is None:
            raise NotFound(_("Không tìm thấy khoản phí."), field="assessment")
    if assessment.status == AssessmentStatus.PAID:
        raise ServiceError(
            _("Khoản phí %(ref)s đã thu.") % {"ref": assessment.payment_reference}, field="assessment"
        )
    if assessment.status == AssessmentStatus.EXEMPT or assessment.amount == 0:
        raise ServiceError(_("Khoản phí được miễn thu, không lập biên lai."), field="assessment")
    return assessment


def _settle(assessment: FeeAssessment, *, actor, method: str, payment_kwargs: dict) -> Receipt:
    receipt = _issue(actor=actor, assessment=assessment, method=method)
    Payment.objects.create(
        method=method,
        amount=assessment.amount,
        assessment=assessment,
        receipt=receipt,
        gate=assessment.gate,
        payer_unit=assessment.payer_unit,
        reference=assessment.payment_reference,
        received_by=_user(actor),
        **({"received_at": receipt.issued_at} | payment_kwargs),
    )
    FeeAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.PAID)
    assessment.status = AssessmentStatus.PAID
    _audit_issue(receipt, actor)
    return receipt


def _open_shift(cashier, gate) -> CashierShift:
    shift = CashierShift.objects.filter(cashier=cashier, closed_at__isnull=True).first()
    if shift is not None and shift.gate_id != gate.pk:
        raise ServiceError(
            _("Ca thu đang mở ở cửa khẩu %(gate)s: đóng ca trước khi thu ở cửa khẩu khác.")
            % {"gate": shift.gate},
            field="assessment",
        )
    if shift is None:
        # opened_at given here, not by the field's default: the demo replays past days by patching
        # timezone.now, which a default captured at import does not see (shifts closed before they opened).
        shift = CashierShift.objects.create(cashier=cashier, gate=gate, opened_at=timezone.now())
        audit_record(action="fees.shift.open", obj=shift, actor=cashier, after=snapshot(shift))
    return shift


@service
def payment_collect_cash(*, actor, assessment_id: int) -> Receipt:
    """Cash at the counter: the cashier (`actor`), at a gate of their centre, receives the fee and hands
    over the e-receipt (Decree 254/2026 art. 23). The cash joins the cashier's open shift (opened if none)."""
    if actor is None or not policy.may(actor, "fees.collect"):
        raise ServiceError(_("Chỉ thu ngân cửa khẩu được thu tiền mặt."), field="assessment", status=403)
    assessment = _lock_due(assessment_id, gate_ids=actor.gate_ids())
    ensure_receiptable(assessment)  # before the shift opens: a refusal leaves nothing behind
    shift = _open_shift(actor, assessment.gate)
    return _settle(assessment, actor=actor, method=PaymentMethod.CASH, payment_kwargs={"shift": shift})


@service
def receipt_replace(
    *,
    actor,
    receipt_id: int,
    reason: str,
    payer_name: str = "",
    payer_tax_code: str = "",
    payer_address: str = "",
) -> Receipt:
    """A mistaken receipt (an error other than one that leaves tax code and amount untouched) is replaced
    by a new receipt that names it; the old one stays, marked replaced (Decree 254/2026; receipts.md).
    The Board's staff, or a cashier at the receipt's gate (fees.permissions.may_replace); the system
    (actor None) for a command."""
    if not (reason or "").strip():
        raise ServiceError(_("Ghi rõ lý do lập biên lai thay thế."), field="reason")
    old = (
        Receipt.objects.select_for_update(of=("self",))
        .select_related("assessment", "assessment__gate")
        .filter(pk=receipt_id)
        .first()
    )
    if old is None or (actor is not None and not policy.may(actor, "fees.replace", old)):
        raise NotFound(_("Không tìm thấy biên lai."), field="receipt")
    if old.status != ReceiptStatus.ISSUED:
        raise ServiceError(_("Biên lai này đã được thay thế."), field="receipt")
    ensure_receiptable(old.assessment)  # a receipt issued on a provisional rate is kept, not re-issued
    if payer_tax_code:
        from stdnum.vn import mst

        if not mst.is_valid(payer_tax_code):
            raise ServiceError(_("Mã số thuế người nộp không hợp lệ."), field="payer_tax_code")
    before = snapshot(old, ["status"])
    Receipt.objects.filter(pk=old.pk).update(status=ReceiptStatus.REPLACED)
    audit_record(
        action="fees.receipt.mark_replaced", obj=old, actor=actor, before=before, after={"status": "replaced"}
    )
    payer = {
        "name": payer_name or old.payer_name,
        "tax_code": payer_tax_code or old.payer_tax_code,
        "address": payer_address or old.payer_address,
    }
    new = _issue(
        actor=actor,
        assessment=old.assessment,
        method=old.method,
        replaces=old,
        reason=reason.strip(),
        payer=payer,
    )
    moved = list(Payment.objects.filter(receipt=old).values_list("pk", flat=True))
    Payment.objects.filter(pk__in=moved).update(receipt=new)
    sealed_rows.mark(Payment, moved)  # their new receipt's event seals them
    _audit_issue(new, actor)
    return new


MAX_COUNTED_CASH = 10**13  # ten thousand billion đồng


@service
def shift_close(*, actor, shift_id: int, counted_cash: int, note: str = "") -> CashierShift:
    """Close the cashier's (`actor`'s) own shift: the cash counted against the cash receipts of the shift;
    the difference is recorded (and explained in the note when not zero)."""
    if not isinstance(counted_cash, int) or counted_cash < 0:
        raise ServiceError(_("Số tiền kiểm đếm phải là số đồng nguyên, không âm."), field="counted_cash")
    if counted_cash > MAX_COUNTED_CASH:
        # More than any counter holds, and past what the column stores: a typing slip, not cash.
        raise ServiceError(
            _("Số tiền kiểm đếm quá lớn (tối đa %(max)s đồng): hãy kiểm tra lại.")
            % {"max": l10n.format_number(MAX_COUNTED_CASH)},
            field="counted_cash",
        )
    shift = (
        CashierShift.objects.select_for_update().filter(pk=shift_id, cashier=actor).first() if actor else None
    )
    if shift is None:
        raise NotFound(_("Không tìm thấy ca thu."), field="shift")
    if shift.closed_at is not None:
        raise ServiceError(_("Ca thu đã đóng."), field="shift")
    payments = Payment.objects.filter(shift=shift, method=PaymentMethod.CASH)
    expected = payments.aggregate(s=Sum("amount"))["s"] or 0
    difference = counted_cash - expected
    if difference and not (note or "").strip():
        raise ServiceError(_("Có chênh lệch: ghi rõ lý do."), field="note")
    shift.expected_cash = expected
    shift.counted_cash = counted_cash
    shift.difference = difference
    shift.receipt_count = payments.exclude(receipt=None).count()
    shift.closed_at = timezone.now()
    shift.note = (note or "").strip()
    shift.save()
    audit_record(action="fees.shift.close", obj=shift, actor=actor, after=snapshot(shift))
    return shift

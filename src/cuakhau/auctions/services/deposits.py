"""Deposits and dossier fees into the separate deposit account: transfers recorded one by one or
matched from a bank statement, refunds and forfeits (Law 01/2016 art. 39)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from cuakhau.core import l10n, policy
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service
from cuakhau.core.workcal import add_working_days

from .. import clock
from ..models import (
    Auction,
    DepositEntry,
    DepositKind,
    ForfeitReason,
    Registration,
    RegStatus,
    Status,
)
from ..rules import refuse
from ..selectors import deposit_received, deposit_settlement
from ..validation import clean_money, pack_of
from .common import _forfeit_deposit, _lock_registration

DEPOSIT_REF_RE = re.compile(r"DG[2-9A-HJ-NP-Z]{8}")


def _receive(registration: Registration, *, actor, amount: int, reference: str) -> tuple[bool, bool]:
    """(deposit recorded, fee recorded) for a transfer of `amount` quoting this registration."""
    auction = registration.auction
    got_deposit = got_fee = False
    fee_due = auction.dossier_fee if registration.dossier_fee_paid_at is None else 0
    has_deposit = deposit_received(registration) is not None
    if fee_due and (amount == fee_due or (not has_deposit and amount >= auction.deposit + fee_due)):
        registration.dossier_fee_paid_at = clock.now()
        registration.save(update_fields=["dossier_fee_paid_at"])
        amount -= fee_due
        got_fee = True
    if not has_deposit and amount >= auction.deposit:
        DepositEntry.objects.create(
            registration=registration,
            kind=DepositKind.RECEIVED,
            amount=auction.deposit,
            at=clock.now(),
            reference=reference[:64],
            legal_basis=auction.rule_pack.cite("deposit_percent") if auction.rule_pack_id else "",
            recorded_by=actor,
        )
        got_deposit = True
    return got_deposit, got_fee


def _require_board(actor) -> None:
    policy.require(actor, "auctions.manage", message=_("Chỉ Ban Quản lý ghi sổ tiền đặt trước."))


def _require_open(auction: Auction) -> None:
    if auction.status != Status.REGISTRATION_OPEN:
        raise ServiceError(
            _("Cuộc đấu giá đang ở bước “%(s)s”; bước này không làm được lúc này.")
            % {"s": auction.get_status_display()},
            field="status",
            code="wrong_state",
            status=409,
        )


@service
def deposit_receive(*, actor, registration_id: int, amount: int, reference: str = "") -> Registration:
    """Record a transfer for a registration: the dossier fee and/or the deposit, into the separate
    deposit account (Law 01/2016 art. 39). Accepted until registration closes."""
    _require_board(actor)
    registration = _lock_registration(registration_id)
    auction = registration.auction
    _require_open(auction)
    clean_money(amount, "amount")
    got_deposit, got_fee = _receive(
        registration, actor=actor, amount=amount, reference=reference or registration.deposit_reference
    )
    if not (got_deposit or got_fee):
        raise ServiceError(
            _("Số tiền không khớp tiền hồ sơ (%(fee)s đồng) hay tiền đặt trước (%(dep)s đồng) còn phải nộp.")
            % {"fee": l10n.format_number(auction.dossier_fee), "dep": l10n.format_number(auction.deposit)},
            field="amount",
        )
    audit_record(
        action="auctions.registration.deposit_receive",
        obj=registration,
        after={
            "amount": amount,
            "deposit": got_deposit,
            "dossier_fee": got_fee,
            "reference": reference,
            "legal_basis": auction.rule_pack.cite("deposit_percent"),
        },
        actor=actor,
    )
    return registration


def deposit_statement_import(*, actor, file_name: str, content: bytes) -> dict:
    """Match a statement of the deposit account: lines whose note quotes a deposit reference (DG + 8
    characters) are recorded for that registration; the rest are returned unmatched. Parsing is the fees
    module's (cuakhau.fees.statement_files.parse_statement), so both accounts read the same bank formats; it
    runs within the upload limits before the transaction (the service that records the lines) opens."""
    from cuakhau.fees.statement_files import parse_statement

    _require_board(actor)
    lines = parse_statement(file_name=file_name, content=content)
    return deposit_lines_record(actor=actor, file_name=file_name, lines=lines)


@service
def deposit_lines_record(*, actor, file_name: str, lines: list) -> dict:
    """Record the parsed lines of a deposit-account statement (deposit_statement_import parses them)."""
    _require_board(actor)
    matched, unmatched = [], []
    seen = set(DepositEntry.objects.filter(kind=DepositKind.RECEIVED).values_list("reference", flat=True))
    for line in lines:
        found = DEPOSIT_REF_RE.search("".join(line.note.upper().split()))
        registration = (
            Registration.objects.select_for_update()
            .select_related("auction")
            .filter(deposit_reference=found.group(0))
            .first()
            if found
            else None
        )
        if (
            registration is None
            or line.bank_ref in seen
            or registration.auction.status != Status.REGISTRATION_OPEN
        ):
            unmatched.append({"row": line.row, "amount": line.amount, "note": line.note})
            continue
        got_deposit, got_fee = _receive(
            registration, actor=actor, amount=line.amount, reference=line.bank_ref
        )
        if got_deposit or got_fee:
            seen.add(line.bank_ref)
            matched.append(
                {"row": line.row, "label": registration.label, "deposit": got_deposit, "fee": got_fee}
            )
        else:
            unmatched.append({"row": line.row, "amount": line.amount, "note": line.note})
    audit_record(
        action="auctions.depositentry.statement",
        object_type="auctions.depositentry",
        object_id=file_name[:64],
        object_repr=file_name[:255],
        after={"lines": len(lines), "matched": matched, "unmatched": len(unmatched)},
        actor=actor,
    )
    return {"lines": len(lines), "matched": matched, "unmatched": unmatched}


@service
def deposit_refund(*, actor, registration_id: int, reference: str = "") -> DepositEntry:
    """Refund a bidder who did not win, within 3 working days of the end of the session on the working
    calendar (Law 01/2016 art. 39.4); the entry records whether it was on time."""
    _require_board(actor)
    registration = _lock_registration(registration_id)
    auction = Auction.objects.select_for_update().get(pk=registration.auction_id)
    pack = pack_of(auction)
    received = deposit_received(registration)
    if received is None:
        raise ServiceError(_("Chưa nhận tiền đặt trước của người này."), field="registration")
    if deposit_settlement(registration) is not None:
        raise ServiceError(_("Tiền đặt trước của người này đã được xử lý."), field="registration", status=409)
    settled_states = (
        Status.CLOSED,
        Status.RECORD_SIGNED,
        Status.RESULTS_SENT,
        Status.CONTRACTED,
        Status.UNSUCCESSFUL,
        Status.CANCELLED,
    )
    ineligible_early = registration.status == RegStatus.INELIGIBLE and auction.status in (
        Status.BIDDERS_FIXED,
        Status.LIVE,
        Status.SUSPENDED,
    )
    if auction.status not in settled_states and not ineligible_early:
        raise ServiceError(
            _("Chỉ trả lại tiền đặt trước sau khi phiên kết thúc."), field="registration", status=409
        )
    if auction.winner_id == registration.pk and auction.status not in (Status.UNSUCCESSFUL, Status.CANCELLED):
        raise ServiceError(
            _("Tiền đặt trước của người trúng chuyển thành tiền đặt cọc hợp đồng."),
            field="registration",
            status=409,
        )
    if auction.runner_up_offered_id == registration.pk:
        raise ServiceError(_("Đang chờ người trả giá liền kề trả lời."), field="registration", status=409)
    due = auction.refunds_due_on or add_working_days(clock.today(), pack.value("deposit_refund_working_days"))
    today = clock.today()
    entry = DepositEntry.objects.create(
        registration=registration,
        kind=DepositKind.REFUNDED,
        amount=received.amount,
        at=clock.now(),
        due_on=due,
        on_time=today <= due,
        legal_basis=pack.cite("deposit_refund_working_days"),
        reference=reference[:64],
        recorded_by=actor,
    )
    audit_record(
        action="auctions.registration.deposit_refund",
        obj=registration,
        after={
            "amount": entry.amount,
            "due_on": due,
            "on_time": entry.on_time,
            "legal_basis": entry.legal_basis,
        },
        actor=actor,
    )
    return entry


@service
def deposit_forfeit(*, actor, registration_id: int, reason: str) -> DepositEntry:
    """Keep a deposit for one of the law's reasons (Law 01/2016 art. 39.6): a no-show without force
    majeure, or a bidder disqualified for a violation (withdrawals and refusals are forfeited by their
    own services)."""
    _require_board(actor)
    registration = _lock_registration(registration_id)
    auction = registration.auction
    pack = pack_of(auction)
    if reason not in (ForfeitReason.NO_SHOW, ForfeitReason.DISQUALIFIED):
        raise ServiceError(_("Lý do không được nhận lại tiền đặt trước không hợp lệ."), field="reason")
    if reason == ForfeitReason.NO_SHOW and (
        auction.status not in (Status.CLOSED, Status.RECORD_SIGNED, Status.RESULTS_SENT, Status.UNSUCCESSFUL)
        or registration.joined_at is not None
        or registration.status != RegStatus.ELIGIBLE
    ):
        raise refuse(
            pack, "forfeit_no_show", _("Chỉ áp dụng cho người đủ điều kiện không vào phiên."), "reason"
        )
    entry = _forfeit_deposit(registration, reason, pack, actor=actor)
    if entry is None:
        raise ServiceError(
            _("Không có tiền đặt trước chưa xử lý của người này."), field="registration", status=409
        )
    if reason == ForfeitReason.DISQUALIFIED:
        registration.status = RegStatus.DISQUALIFIED
        registration.save(update_fields=["status"])
    audit_record(
        action="auctions.registration.deposit_forfeit",
        obj=registration,
        after={"amount": entry.amount, "reason": reason, "legal_basis": entry.legal_basis},
        actor=actor,
    )
    return entry

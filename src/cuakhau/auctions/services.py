"""Every write of an auction: one function per transition, each one transaction with one audit event
that names its legal basis (the article from the auction's rule pack). Bad input or a step the law does
not allow raises ServiceError naming the field and the article, and nothing changes.

The lifecycle (Status): draft → approved → posted → registration_open → registration_closed →
deposits_checked → bidders_fixed → live → closed → record_signed → results_sent → contracted, with
unsuccessful and cancelled where the law says, suspended for a technical failure, and a re-auction as a
new draft that links to the failed one.

Time is the server's (clock.now()), read inside the auction row's lock wherever it decides something."""

from __future__ import annotations

import datetime
import re
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.context import current
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.workcal import add_working_days

from . import chain, clock
from .models import (
    SETTLING_KINDS,
    TERMINAL,
    Auction,
    Bid,
    BidKind,
    DepositEntry,
    DepositKind,
    ForfeitReason,
    Registration,
    RegistrationDocument,
    RegStatus,
    RulePack,
    Status,
)
from .rules import check_calendar, check_plan, pack_in_force, refuse

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
DEPOSIT_REF_RE = re.compile(r"DG[2-9A-HJ-NP-Z]{8}")
MAX_DOC_BYTES = 10 * 1024 * 1024
DOC_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
FORFEIT_RULE = {
    ForfeitReason.NO_SHOW: "forfeit_no_show",
    ForfeitReason.DISQUALIFIED: "forfeit_disqualified",
    ForfeitReason.REFUSED_RECORD: "forfeit_refused_record",
    ForfeitReason.WITHDREW: "forfeit_withdrew",
    ForfeitReason.REFUSED_WIN: "forfeit_refused_win",
}
DRAFT_FIELDS = [
    "title",
    "starting_price",
    "step",
    "deposit",
    "dossier_fee",
    "lease_months",
    "session_start",
    "session_minutes",
    "registration_closes_at",
    "notice_1_on",
    "notice_2_on",
    "viewing_from",
    "viewing_to",
    "method",
    "form",
]


def _actor():
    actor = current().actor
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _lock(auction_id: int) -> Auction:
    auction = Auction.objects.select_for_update().filter(pk=auction_id).first()
    if auction is None:
        raise NotFound(_("Không có cuộc đấu giá này."), field="auction")
    return auction


def _require(auction: Auction, *allowed: str) -> None:
    if auction.status not in allowed:
        raise ServiceError(
            _("Cuộc đấu giá đang ở bước “%(s)s”; bước này không làm được lúc này.")
            % {"s": auction.get_status_display()},
            field="status",
            code="wrong_state",
            status=409,
        )


def _pack(auction: Auction) -> RulePack:
    if auction.rule_pack_id is None:
        raise ServiceError(_("Cuộc đấu giá chưa được phê duyệt."), field="status", status=409)
    return auction.rule_pack


def _record(auction: Auction, action: str, before: str, *, basis: str = "", **after: Any) -> None:
    audit_record(
        action=f"auction.{action}",
        obj=auction,
        before={"status": before},
        after={"status": auction.status, "legal_basis": basis, **after},
    )


def _money(value: Any, field: str, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        raise ServiceError(_("Số tiền phải là số đồng nguyên dương."), field=field)
    return value


def _code(prefix: str, n: int = 8) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _i in range(n))


# --- drafting and approval -------------------------------------------------------------------------


@transaction.atomic
def auction_create(
    *,
    code: str,
    title: str,
    asset,
    starting_price: int,
    step: int,
    deposit: int,
    session_start: datetime.datetime,
    registration_closes_at: datetime.datetime,
    notice_1_on: datetime.date,
    notice_2_on: datetime.date,
    viewing_from: datetime.date,
    viewing_to: datetime.date,
    session_minutes: int = 30,
    dossier_fee: int = 0,
    lease_months: int = 60,
    expiring_lease=None,
    replaces: Auction | None = None,
) -> Auction:
    """A draft auction of the right to lease an asset (Law on Management and Use of Public Assets
    15/2017/QH14 art. 57: leasing a public unit's premises goes through auction). Rules are checked at
    approval, against the pack in force on the decision date."""
    code = (code or "").strip()
    if not code:
        raise ServiceError(_("Cần ghi mã cuộc đấu giá."), field="code")
    if Auction.objects.filter(code=code).exists():
        raise ServiceError(_("Mã cuộc đấu giá %(c)s đã có.") % {"c": code}, field="code")
    if not (title or "").strip():
        raise ServiceError(_("Cần ghi tên cuộc đấu giá."), field="title")
    _money(starting_price, "starting_price")
    _money(step, "step")
    _money(deposit, "deposit")
    _money(dossier_fee, "dossier_fee", allow_zero=True)
    busy = Auction.objects.filter(asset=asset).exclude(status__in=list(TERMINAL)).first()
    if busy is not None:
        raise ServiceError(
            _("Tài sản đang có cuộc đấu giá %(c)s chưa kết thúc.") % {"c": busy.code}, field="asset"
        )
    auction = Auction.objects.create(
        code=code,
        title=title.strip(),
        asset=asset,
        replaces=replaces,
        expiring_lease=expiring_lease,
        starting_price=starting_price,
        step=step,
        deposit=deposit,
        dossier_fee=dossier_fee,
        lease_months=lease_months,
        session_start=session_start,
        session_minutes=session_minutes,
        registration_closes_at=registration_closes_at,
        notice_1_on=notice_1_on,
        notice_2_on=notice_2_on,
        viewing_from=viewing_from,
        viewing_to=viewing_to,
        created_by=_actor(),
    )
    audit_record(
        action="auction.create",
        obj=auction,
        after={**snapshot(auction), "legal_basis": "Luật 15/2017/QH14, Điều 57"},
    )
    return auction


@transaction.atomic
def auction_update(*, auction_id: int, data: dict[str, Any]) -> Auction:
    """Change a draft (only a draft: after approval the plan is the one the decision approved)."""
    auction = _lock(auction_id)
    _require(auction, Status.DRAFT)
    before = snapshot(auction, DRAFT_FIELDS)
    for key, value in data.items():
        if key not in DRAFT_FIELDS:
            raise ServiceError(_("Trường %(f)s không sửa được.") % {"f": key}, field=key)
        if key in ("starting_price", "step", "deposit"):
            _money(value, key)
        setattr(auction, key, value)
    auction.save()
    audit_record(action="auction.update", obj=auction, before=before, after=snapshot(auction, DRAFT_FIELDS))
    return auction


@transaction.atomic
def auction_approve(*, auction_id: int, decision_number: str, decision_date: datetime.date) -> Auction:
    """Approve the auction by decision: starting price, step, deposit, schedule and rules, checked
    against the rule pack in force on the decision date, which is then fixed for this auction
    (deposit: Law 01/2016 art. 39.1; ascending only for state assets: art. 40.2; online bidding time;
    posting 15 days for real estate: art. 35.1(b); notices: art. 57; viewing: art. 36; registration: art. 38)."""
    auction = _lock(auction_id)
    _require(auction, Status.DRAFT)
    if not (decision_number or "").strip():
        raise ServiceError(_("Cần ghi số quyết định phê duyệt."), field="decision_number")
    pack = pack_in_force(decision_date)
    check_plan(pack, auction)
    before = auction.status
    auction.status = Status.APPROVED
    auction.rule_pack = pack
    auction.decision_number = decision_number.strip()
    auction.decision_date = decision_date
    auction.approved_by = _actor()
    auction.approved_at = clock.now()
    auction.save()
    _record(
        auction, "approve", before, basis=pack.name, rule_pack=pack.code, decision=auction.decision_number
    )
    return auction


@transaction.atomic
def auction_post(*, auction_id: int) -> Auction:
    """Post the notice of the auction (Law 01/2016 art. 35.1(b): real estate at least 15 days before
    the session; art. 57: public notice twice, 2 working days apart)."""
    auction = _lock(auction_id)
    _require(auction, Status.APPROVED)
    pack = _pack(auction)
    check_calendar(pack, auction, posted_on=clock.today())
    before = auction.status
    auction.status = Status.POSTED
    auction.posted_at = clock.now()
    auction.save()
    _record(auction, "post", before, basis=pack.cite("posting_min_days_real_estate"))
    return auction


@transaction.atomic
def auction_registration_open(*, auction_id: int) -> Auction:
    """Open registration: continuously from posting until the close (Law 01/2016 art. 38.1)."""
    auction = _lock(auction_id)
    _require(auction, Status.POSTED)
    pack = _pack(auction)
    if clock.now() >= auction.registration_closes_at:
        raise refuse(
            pack, "registration_close_days_before", _("Đã quá hạn nhận đăng ký."), "registration_closes_at"
        )
    before = auction.status
    auction.status = Status.REGISTRATION_OPEN
    auction.registration_opened_at = clock.now()
    auction.save()
    _record(auction, "registration_open", before, basis=pack.cite("registration_close_days_before"))
    return auction


# --- registration and deposits ---------------------------------------------------------------------


def _new_label(auction: Auction) -> str:
    used = set(auction.registrations.values_list("label", flat=True))
    while True:
        label = "N-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(4))
        if label not in used:
            return label


def _new_deposit_reference() -> str:
    while True:
        ref = _code("DG")
        if not Registration.objects.filter(deposit_reference=ref).exists():
            return ref


@transaction.atomic
def registration_submit(*, auction_id: int, enterprise, representative: str, documents: list) -> Registration:
    """An enterprise registers to bid: its dossier (at least one document) while registration is open;
    no condition beyond the law's may be added (Law 01/2016 art. 38). It then pays the dossier fee and
    the deposit by transfer (VietQR) with its deposit reference in the note."""
    auction = _lock(auction_id)
    _require(auction, Status.REGISTRATION_OPEN)
    pack = _pack(auction)
    if clock.now() >= auction.registration_closes_at:
        raise refuse(pack, "registration_close_days_before", _("Đã hết hạn nhận đăng ký."), "auction")
    if enterprise is None:
        raise ServiceError(_("Cần doanh nghiệp đăng ký."), field="enterprise")
    if Registration.objects.filter(auction=auction, enterprise=enterprise).exists():
        raise ServiceError(_("Doanh nghiệp đã đăng ký cuộc đấu giá này."), field="enterprise")
    if not (representative or "").strip():
        raise ServiceError(_("Cần ghi người đại diện."), field="representative")
    if not documents:
        raise ServiceError(_("Cần nộp hồ sơ tham gia đấu giá (ít nhất một tệp)."), field="documents")
    import os

    checked = []
    for upload in documents:
        name = os.path.basename(getattr(upload, "name", "") or "")
        ext = os.path.splitext(name)[1].lower()
        if ext not in DOC_TYPES:
            raise ServiceError(_("Hồ sơ chỉ nhận tệp PDF, JPG hoặc PNG."), field="documents")
        if upload.size > MAX_DOC_BYTES:
            raise ServiceError(_("Mỗi tệp tối đa 10 MB."), field="documents")
        checked.append((name, ext, upload))
    registration = Registration.objects.create(
        auction=auction,
        enterprise=enterprise,
        label=_new_label(auction),
        representative=representative.strip()[:150],
        deposit_reference=_new_deposit_reference(),
        submitted_by=_actor(),
        submitted_at=clock.now(),
    )
    for name, ext, upload in checked:
        doc = RegistrationDocument(
            registration=registration, title=name[:255], original_name=name[:255], content_type=DOC_TYPES[ext]
        )
        doc.file.save(name, upload, save=False)
        doc.save()
    audit_record(
        action="auction.registration_submit",
        obj=registration,
        after={
            "auction": auction.code,
            "enterprise": enterprise.pk,
            "label": registration.label,
            "documents": len(checked),
            "legal_basis": pack.cite("registration_close_days_before"),
        },
    )
    return registration


def deposit_received(registration: Registration) -> DepositEntry | None:
    return registration.deposit_entries.filter(kind=DepositKind.RECEIVED).first()


def deposit_settlement(registration: Registration) -> DepositEntry | None:
    return registration.deposit_entries.filter(kind__in=list(SETTLING_KINDS)).first()


def _lock_registration(registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_for_update().select_related("auction").filter(pk=registration_id).first()
    )
    if registration is None:
        raise NotFound(_("Không có người đăng ký này."), field="registration")
    return registration


def _receive(registration: Registration, *, amount: int, reference: str) -> tuple[bool, bool]:
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
            recorded_by=_actor(),
        )
        got_deposit = True
    return got_deposit, got_fee


@transaction.atomic
def deposit_receive(*, registration_id: int, amount: int, reference: str = "") -> Registration:
    """Record a transfer for a registration: the dossier fee and/or the deposit, into the separate
    deposit account (Law 01/2016 art. 39). Accepted until registration closes."""
    registration = _lock_registration(registration_id)
    auction = registration.auction
    _require(auction, Status.REGISTRATION_OPEN)
    _money(amount, "amount")
    got_deposit, got_fee = _receive(
        registration, amount=amount, reference=reference or registration.deposit_reference
    )
    if not (got_deposit or got_fee):
        raise ServiceError(
            _("Số tiền không khớp tiền hồ sơ (%(fee)s đồng) hay tiền đặt trước (%(dep)s đồng) còn phải nộp.")
            % {"fee": auction.dossier_fee, "dep": auction.deposit},
            field="amount",
        )
    audit_record(
        action="auction.deposit_receive",
        obj=registration,
        after={
            "amount": amount,
            "deposit": got_deposit,
            "dossier_fee": got_fee,
            "reference": reference,
            "legal_basis": auction.rule_pack.cite("deposit_percent"),
        },
    )
    return registration


@transaction.atomic
def deposit_statement_import(*, file_name: str, content: bytes) -> dict:
    """Match a statement of the deposit account: lines whose note quotes a deposit reference (DG + 8
    characters) are recorded for that registration; the rest are returned unmatched. Parsing is the fees
    module's (cuakhau.fees.statements.parse_statement), so both accounts read the same bank formats."""
    from cuakhau.fees.statements import parse_statement

    lines = parse_statement(file_name=file_name, content=content)
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
        got_deposit, got_fee = _receive(registration, amount=line.amount, reference=line.bank_ref)
        if got_deposit or got_fee:
            seen.add(line.bank_ref)
            matched.append(
                {"row": line.row, "label": registration.label, "deposit": got_deposit, "fee": got_fee}
            )
        else:
            unmatched.append({"row": line.row, "amount": line.amount, "note": line.note})
    audit_record(
        action="auction.deposit_statement",
        object_type="auctions.depositentry",
        object_id=file_name[:64],
        object_repr=file_name[:255],
        after={"lines": len(lines), "matched": matched, "unmatched": len(unmatched)},
    )
    return {"lines": len(lines), "matched": matched, "unmatched": unmatched}


@transaction.atomic
def auction_registration_close(*, auction_id: int) -> Auction:
    """Close registration at its deadline (server time). No registrant: the auction is unsuccessful
    (Law 01/2016 art. 52)."""
    auction = _lock(auction_id)
    _require(auction, Status.REGISTRATION_OPEN)
    pack = _pack(auction)
    now = clock.now()
    if now < auction.registration_closes_at:
        raise refuse(
            pack, "registration_close_days_before", _("Chưa đến hạn kết thúc nhận đăng ký."), "status"
        )
    before = auction.status
    auction.registration_closed_at = now
    if not auction.registrations.exists():
        _end_unsuccessful(auction, pack, _("Không có người đăng ký tham gia đấu giá."), "no_registrants")
        _record(auction, "unsuccessful", before, basis=pack.cite("unsuccessful"), reason="no_registrants")
        return auction
    auction.status = Status.REGISTRATION_CLOSED
    auction.save()
    _record(
        auction,
        "registration_close",
        before,
        basis=pack.cite("registration_close_days_before"),
        registrations=auction.registrations.count(),
    )
    return auction


@transaction.atomic
def auction_deposits_check(*, auction_id: int) -> Auction:
    """Check deposits and dossier fees: a registrant without its deposit received in full by the close
    of registration is not eligible (Law 01/2016 art. 39)."""
    auction = _lock(auction_id)
    _require(auction, Status.REGISTRATION_CLOSED)
    pack = _pack(auction)
    before = auction.status
    missing = []
    for registration in auction.registrations.select_for_update().filter(status=RegStatus.SUBMITTED):
        problems = []
        if deposit_received(registration) is None:
            problems.append(_("chưa nộp đủ tiền đặt trước"))
        if auction.dossier_fee and registration.dossier_fee_paid_at is None:
            problems.append(_("chưa nộp tiền hồ sơ"))
        if problems:
            registration.status = RegStatus.INELIGIBLE
            registration.decision_note = "; ".join(problems)
            registration.save(update_fields=["status", "decision_note"])
            missing.append(registration.label)
    auction.status = Status.DEPOSITS_CHECKED
    auction.deposits_checked_at = clock.now()
    auction.save()
    _record(auction, "deposits_check", before, basis=pack.cite("deposit_percent"), ineligible=missing)
    return auction


@transaction.atomic
def registration_decide(*, registration_id: int, eligible: bool, note: str = "") -> Registration:
    """Decide a registrant's eligibility after its dossier and deposit are checked."""
    registration = _lock_registration(registration_id)
    auction = registration.auction
    _require(auction, Status.DEPOSITS_CHECKED)
    if registration.status not in (RegStatus.SUBMITTED, RegStatus.ELIGIBLE, RegStatus.INELIGIBLE):
        raise ServiceError(_("Người này đã bị truất quyền."), field="registration", status=409)
    if eligible and deposit_received(registration) is None:
        raise refuse(
            auction.rule_pack, "deposit_percent", _("Chưa nhận tiền đặt trước của người này."), "eligible"
        )
    if not eligible and not note.strip():
        raise ServiceError(_("Ghi lý do không đủ điều kiện."), field="note")
    before = registration.status
    registration.status = RegStatus.ELIGIBLE if eligible else RegStatus.INELIGIBLE
    registration.decision_note = note.strip()[:500]
    registration.save(update_fields=["status", "decision_note"])
    audit_record(
        action="auction.registration_decide",
        obj=registration,
        before={"status": before},
        after={"status": registration.status, "note": registration.decision_note},
    )
    return registration


@transaction.atomic
def auction_bidders_fix(*, auction_id: int) -> Auction:
    """Fix the eligible bidders. Fewer than the pack's minimum (2 for state property and land lease):
    the auction is unsuccessful and every deposit is refunded (Law 01/2016 art. 52)."""
    auction = _lock(auction_id)
    _require(auction, Status.DEPOSITS_CHECKED)
    pack = _pack(auction)
    if auction.registrations.filter(status=RegStatus.SUBMITTED).exists():
        raise ServiceError(_("Còn người đăng ký chưa được xét điều kiện."), field="registrations")
    before = auction.status
    eligible = auction.registrations.filter(status=RegStatus.ELIGIBLE).count()
    auction.bidders_fixed_at = clock.now()
    minimum = pack.value("min_eligible_bidders")
    if eligible < minimum:
        _end_unsuccessful(
            auction,
            pack,
            _("Chỉ có %(n)s người đủ điều kiện; cần ít nhất %(m)s (%(c)s).")
            % {"n": eligible, "m": minimum, "c": pack.cite("min_eligible_bidders")},
            "too_few_eligible",
        )
        _record(
            auction,
            "unsuccessful",
            before,
            basis=pack.cite("min_eligible_bidders"),
            reason="too_few_eligible",
            eligible=eligible,
        )
        return auction
    auction.status = Status.BIDDERS_FIXED
    auction.save()
    _record(auction, "bidders_fix", before, basis=pack.cite("min_eligible_bidders"), eligible=eligible)
    return auction


# --- the live session ------------------------------------------------------------------------------


@transaction.atomic
def auction_start(*, auction_id: int) -> Auction:
    """Open bidding at the scheduled time (server time); it runs for the approved number of minutes,
    at least the pack's minimum for online bidding."""
    auction = _lock(auction_id)
    _require(auction, Status.BIDDERS_FIXED)
    pack = _pack(auction)
    now = clock.now()
    if now < auction.session_start:
        raise ServiceError(
            _("Chưa đến giờ mở phiên (%(t)s, giờ máy chủ).")
            % {"t": timezone.localtime(auction.session_start).strftime("%d/%m/%Y %H:%M")},
            field="session_start",
        )
    if auction.session_minutes < pack.value("online_min_minutes"):
        raise refuse(pack, "online_min_minutes", _("Thời gian trả giá quá ngắn."), "session_minutes")
    before = auction.status
    auction.status = Status.LIVE
    auction.started_at = now
    auction.ends_at = now + datetime.timedelta(minutes=auction.session_minutes)
    auction.chain_head = auction.chain_head or chain.genesis(auction.code)
    auction.save()
    _record(auction, "start", before, basis=pack.cite("online_min_minutes"), ends_at=auction.ends_at)
    return auction


def _append(
    auction: Auction,
    *,
    registration: Registration,
    kind: str,
    amount: int,
    at: datetime.datetime,
    withdraws_seq: int | None = None,
) -> Bid:
    """Append one chain entry; the caller holds the auction row's lock."""
    prev = auction.chain_head or chain.genesis(auction.code)
    seq = auction.bid_count + 1
    digest = chain.entry_hash(
        code=auction.code,
        seq=seq,
        kind=kind,
        label=registration.label,
        amount=amount,
        round=auction.tie_round,
        withdraws_seq=withdraws_seq,
        placed_at=at,
        prev_hash=prev,
    )
    bid = Bid.objects.create(
        auction=auction,
        seq=seq,
        kind=kind,
        registration=registration,
        amount=amount,
        round=auction.tie_round,
        withdraws_seq=withdraws_seq,
        placed_at=at,
        prev_hash=prev,
        hash=digest,
    )
    auction.bid_count = seq
    auction.chain_head = digest
    return bid


@transaction.atomic
def bid_place(*, auction_id: int, registration_id: int, amount: int) -> Bid:
    """Place a bid. Server time only; the auction row is locked while the bid is checked and appended,
    and the close is checked inside the lock, so no bid is accepted after it. Every bid is at least the
    current best plus the step (the first at least the starting price) (Law 01/2016 art. 42)."""
    auction = _lock(auction_id)
    now = clock.now()
    pack = _pack(auction)
    if (
        auction.status != Status.LIVE
        or auction.ends_at is None
        or now >= auction.ends_at
        or now < auction.started_at
    ):
        raise refuse(
            pack, "online_min_minutes", _("Phiên trả giá không mở (đã kết thúc hoặc chưa bắt đầu)."), "amount"
        )
    registration = Registration.objects.filter(pk=registration_id, auction_id=auction.pk).first()
    if registration is None or registration.status != RegStatus.ELIGIBLE:
        raise ServiceError(
            _("Bạn không phải người đủ điều kiện trả giá ở cuộc đấu giá này."),
            field="registration",
            status=403,
        )
    if auction.tie_round and registration.pk not in auction.tie_registrations:
        raise refuse(
            pack,
            "ties",
            _("Vòng trả giá thêm chỉ dành cho những người cùng trả giá cao nhất."),
            "registration",
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ServiceError(_("Giá trả phải là số đồng nguyên dương."), field="amount")
    minimum = auction.next_minimum()
    if amount < minimum:
        raise refuse(
            pack,
            "step_rule",
            _("Giá trả phải ít nhất %(min)s đồng (giá cao nhất hiện tại cộng bước giá %(step)s đồng).")
            % {"min": f"{minimum:,}".replace(",", "."), "step": f"{auction.step:,}".replace(",", ".")},
            "amount",
        )
    if registration.joined_at is None:
        registration.joined_at = now
        registration.save(update_fields=["joined_at"])
    bid = _append(auction, registration=registration, kind=BidKind.BID, amount=amount, at=now)
    auction.best_amount = amount
    auction.best_registration = registration
    auction.save(update_fields=["bid_count", "chain_head", "best_amount", "best_registration"])
    audit_record(
        action="auction.bid",
        obj=auction,
        after={"seq": bid.seq, "label": registration.label, "amount": amount, "at": now, "hash": bid.hash},
    )
    return bid


def _valid_bids(auction: Auction):
    return auction.bids.filter(kind=BidKind.BID, registration__status=RegStatus.ELIGIBLE)


@transaction.atomic
def bid_withdraw(*, auction_id: int, registration_id: int) -> Bid:
    """The highest bidder withdraws its bid during the session: it is disqualified and loses its
    deposit, and bidding continues from the next lower bid (Law 01/2016 art. 50; art. 39.6(d))."""
    auction = _lock(auction_id)
    pack = _pack(auction)
    now = clock.now()
    if auction.status != Status.LIVE or now >= auction.ends_at:
        raise refuse(pack, "withdrawal", _("Chỉ rút lại giá trong khi phiên đang mở."), "status")
    registration = (
        Registration.objects.select_for_update().filter(pk=registration_id, auction=auction).first()
    )
    if registration is None or registration.status != RegStatus.ELIGIBLE:
        raise ServiceError(
            _("Bạn không phải người đủ điều kiện trả giá ở cuộc đấu giá này."),
            field="registration",
            status=403,
        )
    if auction.best_registration_id != registration.pk:
        raise refuse(
            pack, "withdrawal", _("Chỉ người đang trả giá cao nhất mới rút lại giá."), "registration"
        )
    withdrawn = auction.bids.filter(registration=registration, kind=BidKind.BID).order_by("-seq").first()
    entry = _append(
        auction,
        registration=registration,
        kind=BidKind.WITHDRAWAL,
        amount=withdrawn.amount,
        at=now,
        withdraws_seq=withdrawn.seq,
    )
    registration.status = RegStatus.DISQUALIFIED
    registration.decision_note = _("Rút lại giá đã trả lúc %(t)s") % {
        "t": timezone.localtime(now).strftime("%H:%M:%S")
    }
    registration.save(update_fields=["status", "decision_note"])
    _forfeit(registration, ForfeitReason.WITHDREW, pack)
    best = _valid_bids(auction).filter(round=auction.tie_round).order_by("-amount", "seq").first()
    if best is None and auction.tie_round:
        best = _valid_bids(auction).order_by("-amount", "seq").first()
    auction.best_amount = best.amount if best else None
    auction.best_registration = best.registration if best else None
    auction.save(update_fields=["bid_count", "chain_head", "best_amount", "best_registration"])
    audit_record(
        action="auction.bid_withdraw",
        obj=auction,
        after={
            "seq": entry.seq,
            "label": registration.label,
            "withdrawn_seq": withdrawn.seq,
            "continues_from": auction.best_amount,
            "legal_basis": pack.cite("withdrawal"),
        },
    )
    return entry


def _forfeit(registration: Registration, reason: str, pack: RulePack) -> DepositEntry | None:
    received = deposit_received(registration)
    if received is None or deposit_settlement(registration) is not None:
        return None
    return DepositEntry.objects.create(
        registration=registration,
        kind=DepositKind.FORFEITED,
        amount=received.amount,
        at=clock.now(),
        reason=reason,
        legal_basis=pack.cite(FORFEIT_RULE[reason]),
        recorded_by=_actor(),
    )


def _end_unsuccessful(auction: Auction, pack: RulePack, reason: str, code: str) -> None:
    auction.status = Status.UNSUCCESSFUL
    auction.outcome_reason = str(reason)[:500]
    auction.outcome_basis = pack.cite("unsuccessful")[:255]
    auction.refunds_due_on = add_working_days(clock.today(), pack.value("deposit_refund_working_days"))
    auction.winner = None
    auction.save()


def _top(auction: Auction):
    """(amount, [registrations]) of the highest valid bid in the current round, or of the whole
    session when the round had none."""
    bids = _valid_bids(auction)
    if auction.tie_round:
        in_round = bids.filter(round=auction.tie_round)
        if in_round.exists():
            bids = in_round
        else:
            return auction.best_amount, list(
                Registration.objects.filter(pk__in=auction.tie_registrations, status=RegStatus.ELIGIBLE)
            )
    top = bids.aggregate(m=Max("amount"))["m"]
    if top is None:
        return None, []
    regs = Registration.objects.filter(pk__in=bids.filter(amount=top).values("registration_id")).order_by(
        "pk"
    )
    return top, list(regs)


@transaction.atomic
def auction_close(*, auction_id: int) -> Auction:
    """Close bidding at its end (server time; checked inside the lock). The highest bid wins and the
    result is shown at once. No bid, or a withdrawal with no further bid: unsuccessful (art. 52). Equal
    highest bids: a further round among the tied bidders, then lots (art. 42)."""
    auction = _lock(auction_id)
    _require(auction, Status.LIVE)
    pack = _pack(auction)
    now = clock.now()
    if now < auction.ends_at:
        raise ServiceError(_("Phiên trả giá chưa hết giờ."), field="status", status=409)
    before = auction.status
    top, tied = _top(auction)
    if top is None:
        reason = (
            "withdrawal_without_further_bid"
            if auction.bids.filter(kind=BidKind.WITHDRAWAL).exists()
            else "no_bids"
        )
        text = (
            _("Người rút lại giá, không có người trả giá tiếp.")
            if reason != "no_bids"
            else _("Không có người trả giá.")
        )
        auction.closed_at = now
        _end_unsuccessful(auction, pack, text, reason)
        auction.refunds_due_on = add_working_days(
            _local_day(auction.ends_at), pack.value("deposit_refund_working_days")
        )
        auction.save()
        _record(auction, "unsuccessful", before, basis=pack.cite("unsuccessful"), reason=reason)
        return auction
    if len(tied) > 1:
        in_round = auction.tie_round and not _valid_bids(auction).filter(round=auction.tie_round).exists()
        if not in_round:
            auction.tie_round += 1
            auction.tie_registrations = [r.pk for r in tied]
            auction.started_at = now
            auction.ends_at = now + datetime.timedelta(minutes=auction.session_minutes)
            auction.best_amount = top
            auction.save()
            _record(
                auction,
                "tie_round",
                before,
                basis=pack.cite("ties"),
                tied=[r.label for r in tied],
                amount=top,
            )
            return auction
        drawn = secrets.SystemRandom().choice(tied)
        _append(auction, registration=drawn, kind=BidKind.LOT, amount=top, at=now)
        tied = [drawn]
    winner = tied[0]
    auction.status = Status.CLOSED
    auction.closed_at = now
    auction.winner = winner
    auction.winning_price = top
    auction.best_amount = top
    auction.best_registration = winner
    auction.refunds_due_on = add_working_days(
        _local_day(auction.ends_at), pack.value("deposit_refund_working_days")
    )
    auction.save()
    _record(
        auction,
        "close",
        before,
        basis=pack.cite("step_rule"),
        winner=winner.label,
        price=top,
        bids=auction.bid_count,
        chain_head=auction.chain_head,
    )
    return auction


def close_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Close every live auction whose time is up (the task and the live page call this)."""
    now = now or clock.now()
    closed = []
    for pk in Auction.objects.filter(status=Status.LIVE, ends_at__lte=now).values_list("pk", flat=True):
        try:
            closed.append(auction_close(auction_id=pk).code)
        except ServiceError:
            continue
    return closed


# --- after the session -----------------------------------------------------------------------------


def _runner_up(auction: Auction, exclude: Registration):
    bid = (
        _valid_bids(auction)
        .exclude(registration=exclude)
        .order_by("-amount", "seq")
        .select_related("registration")
        .first()
    )
    return (bid.registration, bid.amount) if bid else (None, None)


@transaction.atomic
def auction_winner_refuse(*, auction_id: int) -> Auction:
    """The winner refuses the win at the session: it loses its deposit (art. 39.6(đ)); the next-highest
    bidder is offered the win only if its bid plus its deposit is at least the refused price, and only
    if it accepts; otherwise the auction is unsuccessful (Law 01/2016 art. 51)."""
    auction = _lock(auction_id)
    _require(auction, Status.CLOSED)
    pack = _pack(auction)
    if auction.winner_id is None:
        raise ServiceError(_("Chưa có người trúng đấu giá."), field="winner", status=409)
    before = auction.status
    refused = auction.winner
    refused.status = RegStatus.DISQUALIFIED
    refused.decision_note = _("Từ chối kết quả trúng đấu giá")
    refused.save(update_fields=["status", "decision_note"])
    _forfeit(refused, ForfeitReason.REFUSED_WIN, pack)
    auction.refused_price = auction.winning_price
    auction.winner = None
    auction.winning_price = None
    runner, bid = _runner_up(auction, refused)
    deposit = deposit_received(runner).amount if runner is not None and deposit_received(runner) else 0
    if runner is not None and bid + deposit >= auction.refused_price:
        auction.runner_up_offered = runner
        auction.save()
        _record(
            auction,
            "winner_refuse",
            before,
            basis=pack.cite("refusal_runner_up"),
            refused=refused.label,
            refused_price=auction.refused_price,
            offered_to=runner.label,
            runner_up_bid=bid,
            runner_up_deposit=deposit,
        )
        return auction
    _end_unsuccessful(
        auction,
        pack,
        _("Người trúng từ chối; người trả giá liền kề không đạt điều kiện giá + tiền đặt trước."),
        "refused_win",
    )
    _record(
        auction,
        "unsuccessful",
        before,
        basis=pack.cite("refusal_runner_up"),
        reason="refused_win",
        refused=refused.label,
        runner_up_bid=bid,
        runner_up_deposit=deposit,
    )
    return auction


@transaction.atomic
def auction_runner_up_answer(*, auction_id: int, accept: bool) -> Auction:
    """The next-highest bidder accepts (it wins at its own bid) or declines (unsuccessful) (art. 51)."""
    auction = _lock(auction_id)
    _require(auction, Status.CLOSED)
    pack = _pack(auction)
    if auction.runner_up_offered_id is None:
        raise ServiceError(_("Không có đề nghị nào cho người trả giá liền kề."), field="accept", status=409)
    before = auction.status
    runner = auction.runner_up_offered
    if accept:
        bid = _valid_bids(auction).filter(registration=runner).aggregate(m=Max("amount"))["m"]
        auction.winner = runner
        auction.winning_price = bid
        auction.runner_up_offered = None
        auction.save()
        _record(
            auction,
            "runner_up_accept",
            before,
            basis=pack.cite("refusal_runner_up"),
            winner=runner.label,
            price=bid,
        )
        return auction
    auction.runner_up_offered = None
    _end_unsuccessful(auction, pack, _("Người trả giá liền kề không nhận kết quả."), "refused_win")
    _record(
        auction, "unsuccessful", before, basis=pack.cite("refusal_runner_up"), reason="runner_up_declined"
    )
    return auction


@transaction.atomic
def auction_record_sign(*, auction_id: int, record_number: str, winner_signs: bool = True) -> Auction:
    """Sign the auction record (biên bản: start and end, participants, winning price and winner, the
    certified extract of the system log) and publish the bid chain's head with the result. A winner
    who refuses to sign loses its deposit and the auction is unsuccessful (Law 01/2016 art. 44.3,
    art. 39.6(c)). A chain that does not verify is a mis-recorded session: the record is refused (cancel
    the result instead)."""
    auction = _lock(auction_id)
    _require(auction, Status.CLOSED)
    pack = _pack(auction)
    if auction.winner_id is None:
        raise ServiceError(_("Chưa có người trúng đấu giá."), field="winner", status=409)
    if not (record_number or "").strip():
        raise ServiceError(_("Cần ghi số biên bản."), field="record_number")
    verdict = chain.verify(auction)
    if not verdict.ok:
        raise refuse(
            pack,
            "technical_failure",
            _("Chuỗi lượt trả giá không khớp (%(p)s, lượt %(s)s): phải hủy kết quả.")
            % {"p": verdict.problem, "s": verdict.broken_at},
            "record_number",
        )
    before = auction.status
    auction.record_number = record_number.strip()[:64]
    if not winner_signs:
        refused = auction.winner
        refused.status = RegStatus.DISQUALIFIED
        refused.decision_note = _("Từ chối ký biên bản đấu giá")
        refused.save(update_fields=["status", "decision_note"])
        _forfeit(refused, ForfeitReason.REFUSED_RECORD, pack)
        _end_unsuccessful(auction, pack, _("Người trúng đấu giá từ chối ký biên bản."), "refused_record")
        _record(
            auction,
            "unsuccessful",
            before,
            basis=pack.cite("forfeit_refused_record"),
            reason="refused_record",
        )
        return auction
    now = clock.now()
    auction.status = Status.RECORD_SIGNED
    auction.record_signed_at = now
    auction.chain_published_at = now
    auction.save()
    _record(
        auction,
        "record_sign",
        before,
        basis=pack.cite("record"),
        record=auction.record_number,
        chain_head=auction.chain_head,
        bids=verdict.count,
    )
    return auction


@transaction.atomic
def auction_results_send(*, auction_id: int) -> Auction:
    """Send the results and the record to the owner and the winner (Law 01/2016 art. 45: within 3
    working days of the session); the event records whether it was on time."""
    auction = _lock(auction_id)
    _require(auction, Status.RECORD_SIGNED)
    pack = _pack(auction)
    before = auction.status
    now = clock.now()
    deadline = add_working_days(_local_day(auction.ends_at), pack.value("results_send_working_days"))
    auction.status = Status.RESULTS_SENT
    auction.results_sent_at = now
    auction.save()
    _record(
        auction,
        "results_send",
        before,
        basis=pack.cite("results_send_working_days"),
        deadline=deadline,
        on_time=_local_day(now) <= deadline,
    )
    return auction


@transaction.atomic
def auction_contract_sign(
    *,
    auction_id: int,
    number: str,
    signed_on: datetime.date,
    starts_on: datetime.date,
    interval_months: int = 3,
    escalation_percent: Any = 0,
):
    """Sign the lease with the winner at the winning price (Law 15/2017/QH14 art. 57); the winner's
    deposit becomes the contract deposit (Law 01/2016 art. 39.5)."""
    from cuakhau.assets.models import RentBasis
    from cuakhau.assets.services import add_months, lease_create

    auction = _lock(auction_id)
    _require(auction, Status.RESULTS_SENT)
    pack = _pack(auction)
    winner = Registration.objects.select_for_update().get(pk=auction.winner_id)
    received = deposit_received(winner)
    lease = lease_create(
        number=number,
        asset=auction.asset,
        lessee=winner.enterprise,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=add_months(starts_on, auction.lease_months) - datetime.timedelta(days=1),
        rent_basis=RentBasis.LUMP_SUM,
        rent_rate=auction.winning_price,
        interval_months=interval_months,
        escalation_percent=escalation_percent,
        deposit_amount=received.amount if received else 0,
        notes=_("Theo kết quả đấu giá %(c)s, biên bản %(r)s.")
        % {"c": auction.code, "r": auction.record_number},
    )
    if received is not None and deposit_settlement(winner) is None:
        DepositEntry.objects.create(
            registration=winner,
            kind=DepositKind.CONVERTED,
            amount=received.amount,
            at=clock.now(),
            legal_basis=pack.cite("winner_deposit_to_contract"),
            reference=lease.number,
            recorded_by=_actor(),
        )
    before = auction.status
    auction.status = Status.CONTRACTED
    auction.lease = lease
    auction.save()
    _record(auction, "contract", before, basis=pack.cite("winner_deposit_to_contract"), lease=lease.number)
    return auction


@transaction.atomic
def deposit_refund(*, registration_id: int, reference: str = "") -> DepositEntry:
    """Refund a bidder who did not win, within 3 working days of the end of the session on the working
    calendar (Law 01/2016 art. 39.4); the entry records whether it was on time."""
    registration = _lock_registration(registration_id)
    auction = Auction.objects.select_for_update().get(pk=registration.auction_id)
    pack = _pack(auction)
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
        recorded_by=_actor(),
    )
    audit_record(
        action="auction.deposit_refund",
        obj=registration,
        after={
            "amount": entry.amount,
            "due_on": due,
            "on_time": entry.on_time,
            "legal_basis": entry.legal_basis,
        },
    )
    return entry


@transaction.atomic
def deposit_forfeit(*, registration_id: int, reason: str) -> DepositEntry:
    """Keep a deposit for one of the law's reasons (Law 01/2016 art. 39.6): a no-show without force
    majeure, or a bidder disqualified for a violation (withdrawals and refusals are forfeited by their
    own services)."""
    registration = _lock_registration(registration_id)
    auction = registration.auction
    pack = _pack(auction)
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
    entry = _forfeit(registration, reason, pack)
    if entry is None:
        raise ServiceError(
            _("Không có tiền đặt trước chưa xử lý của người này."), field="registration", status=409
        )
    if reason == ForfeitReason.DISQUALIFIED:
        registration.status = RegStatus.DISQUALIFIED
        registration.save(update_fields=["status"])
    audit_record(
        action="auction.deposit_forfeit",
        obj=registration,
        after={"amount": entry.amount, "reason": reason, "legal_basis": entry.legal_basis},
    )
    return entry


# --- failures, cancellation, re-auction -----------------------------------------------------------


@transaction.atomic
def auction_suspend(*, auction_id: int, reason: str) -> Auction:
    """A technical failure before any bid: the session cannot go on; stop it and reschedule. With bids
    already recorded the session's result must be cancelled instead (auction_cancel)."""
    auction = _lock(auction_id)
    _require(auction, Status.BIDDERS_FIXED, Status.LIVE)
    pack = _pack(auction)
    if not (reason or "").strip():
        raise ServiceError(_("Ghi rõ sự cố."), field="reason")
    if auction.bid_count:
        raise refuse(
            pack,
            "technical_failure",
            _("Đã có lượt trả giá: sự cố làm mất hoặc ghi sai giá thì hủy kết quả, không tạm dừng."),
            "reason",
        )
    before = auction.status
    auction.status = Status.SUSPENDED
    auction.suspended_at = clock.now()
    auction.outcome_reason = reason.strip()[:500]
    auction.save()
    _record(auction, "suspend", before, basis=pack.cite("technical_failure"), reason=reason)
    return auction


@transaction.atomic
def auction_reschedule(*, auction_id: int, session_start: datetime.datetime) -> Auction:
    """Set a new session time after a suspension; the fixed bidders keep their places."""
    auction = _lock(auction_id)
    _require(auction, Status.SUSPENDED)
    pack = _pack(auction)
    if session_start <= clock.now():
        raise ServiceError(_("Giờ mở phiên mới phải ở tương lai."), field="session_start")
    before = auction.status
    old = auction.session_start
    auction.status = Status.BIDDERS_FIXED
    auction.session_start = session_start
    auction.started_at = auction.ends_at = None
    auction.save()
    _record(auction, "reschedule", before, basis=pack.cite("technical_failure"), old=old, new=session_start)
    return auction


@transaction.atomic
def auction_cancel(*, auction_id: int, reason: str) -> Auction:
    """Cancel the auction or its result (a decision of the Board, or bids lost or mis-recorded by a
    technical failure); deposits not forfeited are refunded within 3 working days."""
    auction = _lock(auction_id)
    if auction.status in TERMINAL:
        _require(auction)  # refuses with the current status
    if not (reason or "").strip():
        raise ServiceError(_("Ghi rõ lý do hủy."), field="reason")
    pack = auction.rule_pack or pack_in_force(clock.today())
    before = auction.status
    auction.status = Status.CANCELLED
    auction.outcome_reason = reason.strip()[:500]
    auction.outcome_basis = pack.cite("technical_failure")[:255]
    auction.refunds_due_on = add_working_days(clock.today(), pack.value("deposit_refund_working_days"))
    auction.winner = None
    auction.save()
    _record(auction, "cancel", before, basis=pack.cite("technical_failure"), reason=reason)
    return auction


@transaction.atomic
def auction_reauction(
    *,
    auction_id: int,
    code: str,
    session_start: datetime.datetime,
    registration_closes_at: datetime.datetime,
    notice_1_on: datetime.date,
    notice_2_on: datetime.date,
    viewing_from: datetime.date,
    viewing_to: datetime.date,
) -> Auction:
    """A new draft for the same asset after an unsuccessful or cancelled auction, linked to it."""
    failed = Auction.objects.select_for_update().filter(pk=auction_id).first()
    if failed is None:
        raise NotFound(_("Không có cuộc đấu giá này."), field="auction")
    _require(failed, Status.UNSUCCESSFUL, Status.CANCELLED)
    if failed.reauctions.exists():
        raise ServiceError(_("Đã có cuộc đấu giá lại cho cuộc này."), field="auction", status=409)
    auction = auction_create(
        code=code,
        title=failed.title,
        asset=failed.asset,
        starting_price=failed.starting_price,
        step=failed.step,
        deposit=failed.deposit,
        dossier_fee=failed.dossier_fee,
        lease_months=failed.lease_months,
        session_start=session_start,
        session_minutes=failed.session_minutes,
        registration_closes_at=registration_closes_at,
        notice_1_on=notice_1_on,
        notice_2_on=notice_2_on,
        viewing_from=viewing_from,
        viewing_to=viewing_to,
        expiring_lease=failed.expiring_lease,
        replaces=failed,
    )
    return auction

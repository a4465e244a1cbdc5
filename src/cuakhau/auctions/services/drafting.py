"""Drafting, approval, posting and the opening of registration (Law 01/2016 arts. 35-39, 57;
Law 15/2017/QH14 art. 57)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError

from .. import clock
from ..models import (
    TERMINAL,
    Auction,
    Status,
)
from ..rules import check_calendar, check_plan, pack_in_force, refuse
from .common import (
    acting_user,
    clean_money,
    lock_auction,
    pack_of,
    record_transition,
    require_status,
)

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
    clean_money(starting_price, "starting_price")
    clean_money(step, "step")
    clean_money(deposit, "deposit")
    clean_money(dossier_fee, "dossier_fee", allow_zero=True)
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
        created_by=acting_user(),
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
    auction = lock_auction(auction_id)
    require_status(auction, Status.DRAFT)
    before = snapshot(auction, DRAFT_FIELDS)
    for key, value in data.items():
        if key not in DRAFT_FIELDS:
            raise ServiceError(_("Trường %(f)s không sửa được.") % {"f": key}, field=key)
        if key in ("starting_price", "step", "deposit"):
            clean_money(value, key)
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
    auction = lock_auction(auction_id)
    require_status(auction, Status.DRAFT)
    if not (decision_number or "").strip():
        raise ServiceError(_("Cần ghi số quyết định phê duyệt."), field="decision_number")
    pack = pack_in_force(decision_date)
    check_plan(pack, auction)
    before = auction.status
    auction.status = Status.APPROVED
    auction.rule_pack = pack
    auction.decision_number = decision_number.strip()
    auction.decision_date = decision_date
    auction.approved_by = acting_user()
    auction.approved_at = clock.now()
    auction.save()
    record_transition(
        auction, "approve", before, basis=pack.name, rule_pack=pack.code, decision=auction.decision_number
    )
    return auction


@transaction.atomic
def auction_post(*, auction_id: int) -> Auction:
    """Post the notice of the auction (Law 01/2016 art. 35.1(b): real estate at least 15 days before
    the session; art. 57: public notice twice, 2 working days apart)."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.APPROVED)
    pack = pack_of(auction)
    check_calendar(pack, auction, posted_on=clock.today())
    before = auction.status
    auction.status = Status.POSTED
    auction.posted_at = clock.now()
    auction.save()
    record_transition(auction, "post", before, basis=pack.cite("posting_min_days_real_estate"))
    return auction


@transaction.atomic
def auction_registration_open(*, auction_id: int) -> Auction:
    """Open registration: continuously from posting until the close (Law 01/2016 art. 38.1)."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.POSTED)
    pack = pack_of(auction)
    if clock.now() >= auction.registration_closes_at:
        raise refuse(
            pack, "registration_close_days_before", _("Đã quá hạn nhận đăng ký."), "registration_closes_at"
        )
    before = auction.status
    auction.status = Status.REGISTRATION_OPEN
    auction.registration_opened_at = clock.now()
    auction.save()
    record_transition(auction, "registration_open", before, basis=pack.cite("registration_close_days_before"))
    return auction

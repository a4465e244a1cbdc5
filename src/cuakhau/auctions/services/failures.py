"""Technical failures, cancellation and re-auction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.workcal import add_working_days

from .. import clock
from ..models import (
    TERMINAL,
    Auction,
    Status,
)
from ..rules import pack_in_force, refuse
from .common import (
    lock_auction,
    pack_of,
    record_transition,
    require_status,
)
from .drafting import auction_create


@transaction.atomic
def auction_suspend(*, auction_id: int, reason: str) -> Auction:
    """A technical failure before any bid: the session cannot go on; stop it and reschedule. With bids
    already recorded the session's result must be cancelled instead (auction_cancel)."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.BIDDERS_FIXED, Status.LIVE)
    pack = pack_of(auction)
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
    record_transition(auction, "suspend", before, basis=pack.cite("technical_failure"), reason=reason)
    return auction


@transaction.atomic
def auction_reschedule(*, auction_id: int, session_start: datetime.datetime) -> Auction:
    """Set a new session time after a suspension; the fixed bidders keep their places."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.SUSPENDED)
    pack = pack_of(auction)
    if session_start <= clock.now():
        raise ServiceError(_("Giờ mở phiên mới phải ở tương lai."), field="session_start")
    before = auction.status
    old = auction.session_start
    auction.status = Status.BIDDERS_FIXED
    auction.session_start = session_start
    auction.started_at = auction.ends_at = None
    auction.save()
    record_transition(
        auction, "reschedule", before, basis=pack.cite("technical_failure"), old=old, new=session_start
    )
    return auction


@transaction.atomic
def auction_cancel(*, auction_id: int, reason: str) -> Auction:
    """Cancel the auction or its result (a decision of the Board, or bids lost or mis-recorded by a
    technical failure); deposits not forfeited are refunded within 3 working days."""
    auction = lock_auction(auction_id)
    if auction.status in TERMINAL:
        require_status(auction)  # refuses with the current status
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
    record_transition(auction, "cancel", before, basis=pack.cite("technical_failure"), reason=reason)
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
    require_status(failed, Status.UNSUCCESSFUL, Status.CANCELLED)
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

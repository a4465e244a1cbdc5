"""Technical failures, cancellation and re-auction."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service
from cuakhau.core.workcal import add_working_days

from .. import clock
from ..actions import WORKFLOW
from ..models import Auction
from ..rules import pack_in_force, refuse
from ..validation import pack_of
from .drafting import _auction, auction_create


@service
def auction_suspend(*, actor, auction_id: int, reason: str) -> Auction:
    """A technical failure before any bid: the session cannot go on; stop it and reschedule. With bids
    already recorded the session's result must be cancelled instead (auction_cancel)."""
    with WORKFLOW.step(actor, _auction(auction_id), "suspend", note=reason) as step:
        auction = step.obj
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
        auction.suspended_at = clock.now()
        auction.outcome_reason = reason.strip()[:500]
        step.facts.update(legal_basis=pack.cite("technical_failure"), reason=reason)
    return step.obj


@service
def auction_reschedule(*, actor, auction_id: int, session_start: datetime.datetime) -> Auction:
    """Set a new session time after a suspension; the fixed bidders keep their places."""
    with WORKFLOW.step(actor, _auction(auction_id), "reschedule") as step:
        auction = step.obj
        pack = pack_of(auction)
        if session_start <= clock.now():
            raise ServiceError(_("Giờ mở phiên mới phải ở tương lai."), field="session_start")
        old = auction.session_start
        auction.session_start = session_start
        auction.started_at = auction.ends_at = None
        step.facts.update(legal_basis=pack.cite("technical_failure"), old=old, new=session_start)
    return step.obj


@service
def auction_cancel(*, actor, auction_id: int, reason: str) -> Auction:
    """Cancel the auction or its result (a decision of the Board, or bids lost or mis-recorded by a
    technical failure); deposits not forfeited are refunded within 3 working days."""
    with WORKFLOW.step(actor, _auction(auction_id), "cancel", note=reason) as step:
        auction = step.obj
        if not (reason or "").strip():
            raise ServiceError(_("Ghi rõ lý do hủy."), field="reason")
        pack = auction.rule_pack or pack_in_force(clock.today())
        auction.outcome_reason = reason.strip()[:500]
        auction.outcome_basis = pack.cite("technical_failure")[:255]
        auction.refunds_due_on = add_working_days(clock.today(), pack.value("deposit_refund_working_days"))
        auction.winner = None
        step.facts.update(legal_basis=pack.cite("technical_failure"), reason=reason)
    return step.obj


@service
def auction_reauction(
    *,
    actor,
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
    with WORKFLOW.step(actor, _auction(auction_id), "reauction") as step:
        failed = step.obj
        if failed.reauctions.exists():
            raise ServiceError(_("Đã có cuộc đấu giá lại cho cuộc này."), field="auction", status=409)
        auction = auction_create(
            actor=actor,
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
        step.facts.update(reauction=auction.code)
    return auction

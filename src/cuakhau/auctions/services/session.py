"""The live session: opening, bids and withdrawals appended to the bid chain under the auction row's
lock, ties and the close (Law 01/2016 arts. 42, 50, 52)."""

from __future__ import annotations

import datetime
import secrets

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n, policy
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.service import service
from cuakhau.core.workcal import add_working_days

from .. import chain, clock
from ..actions import WORKFLOW
from ..models import (
    Auction,
    Bid,
    BidKind,
    ForfeitReason,
    Registration,
    RegStatus,
    Status,
)
from ..permissions import may_bid
from ..rules import refuse
from ..selectors import valid_bids
from ..validation import local_day, pack_of
from .common import _end_unsuccessful, _forfeit_deposit
from .drafting import _auction


@service
def auction_start(*, actor, auction_id: int) -> Auction:
    """Open bidding at the scheduled time (server time); it runs for the approved number of minutes,
    at least the pack's minimum for online bidding."""
    with WORKFLOW.step(actor, _auction(auction_id), "start") as step:
        auction = step.obj
        pack = pack_of(auction)
        now = clock.now()
        if now < auction.session_start:
            raise ServiceError(
                _("Chưa đến giờ mở phiên (%(t)s, giờ máy chủ).")
                % {"t": timezone.localtime(auction.session_start).strftime("%d/%m/%Y %H:%M")},
                field="session_start",
            )
        if auction.session_minutes < pack.value("online_min_minutes"):
            raise refuse(pack, "online_min_minutes", _("Thời gian trả giá quá ngắn."), "session_minutes")
        auction.started_at = now
        auction.ends_at = now + datetime.timedelta(minutes=auction.session_minutes)
        auction.chain_head = auction.chain_head or chain.genesis(auction.code)
        step.facts.update(legal_basis=pack.cite("online_min_minutes"), ends_at=auction.ends_at)
    return step.obj


def _bidder(actor, auction: Auction, registration_id: int, *, lock: bool = False) -> Registration:
    """The registration `actor` bids for on this auction: refused (403) unless it is the actor's own
    enterprise's (or the Board records the bid) and eligible."""
    registrations = Registration.objects.select_related("enterprise")
    if lock:
        registrations = registrations.select_for_update(of=("self",))
    registration = registrations.filter(pk=registration_id, auction_id=auction.pk).first()
    if registration is None or registration.status != RegStatus.ELIGIBLE or not may_bid(actor, registration):
        raise ServiceError(
            _("Bạn không phải người đủ điều kiện trả giá ở cuộc đấu giá này."),
            field="registration",
            status=403,
        )
    return registration


def _lock_live(auction_id: int) -> Auction:
    auction = Auction.objects.select_for_update().filter(pk=auction_id).first()
    if auction is None:
        raise NotFound(_("Không có cuộc đấu giá này."), field="auction")
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


@service
def bid_place(*, actor, auction_id: int, registration_id: int, amount: int) -> Bid:
    """Place a bid. Server time only; the auction row is locked while the bid is checked and appended,
    and the close is checked inside the lock, so no bid is accepted after it. Every bid is at least the
    current best plus the step (the first at least the starting price) (Law 01/2016 art. 42)."""
    auction = _lock_live(auction_id)
    now = clock.now()
    pack = pack_of(auction)
    if (
        auction.status != Status.LIVE
        or auction.ends_at is None
        or now >= auction.ends_at
        or now < auction.started_at
    ):
        raise refuse(
            pack, "online_min_minutes", _("Phiên trả giá không mở (đã kết thúc hoặc chưa bắt đầu)."), "amount"
        )
    registration = _bidder(actor, auction, registration_id)
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
            % {"min": l10n.format_number(minimum), "step": l10n.format_number(auction.step)},
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
        action="auctions.auction.bid",
        obj=auction,
        after={"seq": bid.seq, "label": registration.label, "amount": amount, "at": now, "hash": bid.hash},
        actor=actor,
    )
    return bid


@service
def bid_withdraw(*, actor, auction_id: int, registration_id: int) -> Bid:
    """The highest bidder withdraws its bid during the session: it is disqualified and loses its
    deposit, and bidding continues from the next lower bid (Law 01/2016 art. 50; art. 39.6(d))."""
    auction = _lock_live(auction_id)
    pack = pack_of(auction)
    now = clock.now()
    if auction.status != Status.LIVE or now >= auction.ends_at:
        raise refuse(pack, "withdrawal", _("Chỉ rút lại giá trong khi phiên đang mở."), "status")
    registration = _bidder(actor, auction, registration_id, lock=True)
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
    _forfeit_deposit(registration, ForfeitReason.WITHDREW, pack, actor=actor)
    best = valid_bids(auction).filter(round=auction.tie_round).order_by("-amount", "seq").first()
    if best is None and auction.tie_round:
        best = valid_bids(auction).order_by("-amount", "seq").first()
    auction.best_amount = best.amount if best else None
    auction.best_registration = best.registration if best else None
    auction.save(update_fields=["bid_count", "chain_head", "best_amount", "best_registration"])
    audit_record(
        action="auctions.auction.bid_withdraw",
        actor=actor,
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


def _top(auction: Auction):
    """(amount, [registrations]) of the highest valid bid in the current round, or of the whole
    session when the round had none."""
    bids = valid_bids(auction)
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


@service
def auction_close(*, actor, auction_id: int) -> Auction:
    """Close bidding at its end (server time; checked inside the lock). The highest bid wins and the
    result is shown at once. No bid, or a withdrawal with no further bid: unsuccessful (art. 52). Equal
    highest bids: a further round among the tied bidders, then lots (art. 42). The system closes a
    session that is due (actor None: the task, the live page)."""
    with WORKFLOW.step(actor, _auction(auction_id), "close") as step:
        _close(step)
    return step.obj


def _close(step) -> None:
    auction = step.obj
    pack = pack_of(auction)
    now = clock.now()
    if now < auction.ends_at:
        raise ServiceError(_("Phiên trả giá chưa hết giờ."), field="status", status=409)
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
        _end_unsuccessful(step, pack, text, reason)
        auction.refunds_due_on = add_working_days(
            local_day(auction.ends_at), pack.value("deposit_refund_working_days")
        )
        return
    if len(tied) > 1:
        in_round = auction.tie_round and not valid_bids(auction).filter(round=auction.tie_round).exists()
        if not in_round:
            auction.tie_round += 1
            auction.tie_registrations = [r.pk for r in tied]
            auction.started_at = now
            auction.ends_at = now + datetime.timedelta(minutes=auction.session_minutes)
            auction.best_amount = top
            step.audit = "auctions.auction.tie_round"
            step.facts.update(legal_basis=pack.cite("ties"), tied=[r.label for r in tied], amount=top)
            return
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
        local_day(auction.ends_at), pack.value("deposit_refund_working_days")
    )
    step.facts.update(
        legal_basis=pack.cite("step_rule"),
        winner=winner.label,
        price=top,
        bids=auction.bid_count,
        chain_head=auction.chain_head,
    )


def close_due(*, actor, now: datetime.datetime | None = None) -> list[str]:
    """Close every live auction whose time is up (the task and the live page call this, as the system:
    actor None; or the Board)."""
    if actor is not None:
        policy.require(actor, "auctions.manage")
    now = now or clock.now()
    closed = []
    for pk in Auction.objects.filter(status=Status.LIVE, ends_at__lte=now).values_list("pk", flat=True):
        try:
            closed.append(auction_close(actor=actor, auction_id=pk).code)
        except ServiceError:
            continue
    return closed

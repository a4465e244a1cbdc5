"""After the session: the winner's refusal and the runner-up, the record, the results and the lease
contract (Law 01/2016 arts. 44, 45, 51; Law 15/2017/QH14 art. 57)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service
from cuakhau.core.workcal import add_working_days

from .. import chain, clock
from ..actions import WORKFLOW
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
from ..selectors import deposit_received, deposit_settlement, valid_bids
from ..validation import local_day, pack_of
from .common import _end_unsuccessful, _forfeit_deposit
from .drafting import _auction


def _runner_up(auction: Auction, exclude: Registration):
    bid = (
        valid_bids(auction)
        .exclude(registration=exclude)
        .order_by("-amount", "seq")
        .select_related("registration")
        .first()
    )
    return (bid.registration, bid.amount) if bid else (None, None)


@service
def auction_winner_refuse(*, actor, auction_id: int) -> Auction:
    """The winner refuses the win at the session: it loses its deposit (art. 39.6(đ)); the next-highest
    bidder is offered the win only if its bid plus its deposit is at least the refused price, and only
    if it accepts; otherwise the auction is unsuccessful (Law 01/2016 art. 51)."""
    with WORKFLOW.step(actor, _auction(auction_id), "winner_refuse") as step:
        auction = step.obj
        pack = pack_of(auction)
        if auction.winner_id is None:
            raise ServiceError(_("Chưa có người trúng đấu giá."), field="winner", status=409)
        refused = auction.winner
        refused.status = RegStatus.DISQUALIFIED
        refused.decision_note = _("Từ chối kết quả trúng đấu giá")
        refused.save(update_fields=["status", "decision_note"])
        _forfeit_deposit(refused, ForfeitReason.REFUSED_WIN, pack, actor=actor)
        auction.refused_price = auction.winning_price
        auction.winner = None
        auction.winning_price = None
        runner, bid = _runner_up(auction, refused)
        deposit = deposit_received(runner).amount if runner is not None and deposit_received(runner) else 0
        if runner is not None and bid + deposit >= auction.refused_price:
            auction.runner_up_offered = runner
            step.facts.update(
                legal_basis=pack.cite("refusal_runner_up"),
                refused=refused.label,
                refused_price=auction.refused_price,
                offered_to=runner.label,
                runner_up_bid=bid,
                runner_up_deposit=deposit,
            )
        else:
            _end_unsuccessful(
                step,
                pack,
                _("Người trúng từ chối; người trả giá liền kề không đạt điều kiện giá + tiền đặt trước."),
                "refused_win",
                legal_basis=pack.cite("refusal_runner_up"),
                refused=refused.label,
                runner_up_bid=bid,
                runner_up_deposit=deposit,
            )
    return step.obj


@service
def auction_runner_up_answer(*, actor, auction_id: int, accept: bool) -> Auction:
    """The next-highest bidder accepts (it wins at its own bid) or declines (unsuccessful) (art. 51)."""
    with WORKFLOW.step(actor, _auction(auction_id), "runner_up") as step:
        auction = step.obj
        pack = pack_of(auction)
        if auction.runner_up_offered_id is None:
            raise ServiceError(
                _("Không có đề nghị nào cho người trả giá liền kề."), field="accept", status=409
            )
        runner = auction.runner_up_offered
        auction.runner_up_offered = None
        if accept:
            bid = valid_bids(auction).filter(registration=runner).aggregate(m=Max("amount"))["m"]
            auction.winner = runner
            auction.winning_price = bid
            step.facts.update(
                legal_basis=pack.cite("refusal_runner_up"), accept=True, winner=runner.label, price=bid
            )
        else:
            _end_unsuccessful(
                step,
                pack,
                _("Người trả giá liền kề không nhận kết quả."),
                "refused_win",
                legal_basis=pack.cite("refusal_runner_up"),
                reason="runner_up_declined",
            )
    return step.obj


@service
def auction_record_sign(*, actor, auction_id: int, record_number: str, winner_signs: bool = True) -> Auction:
    """Sign the auction record (biên bản: start and end, participants, winning price and winner, the
    certified extract of the system log) and publish the bid chain's head with the result. A winner
    who refuses to sign loses its deposit and the auction is unsuccessful (Law 01/2016 art. 44.3,
    art. 39.6(c)). A chain that does not verify is a mis-recorded session: the record is refused (cancel
    the result instead)."""
    with WORKFLOW.step(actor, _auction(auction_id), "record_sign") as step:
        auction = step.obj
        pack = pack_of(auction)
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
        auction.record_number = record_number.strip()[:64]
        if not winner_signs:
            refused = auction.winner
            refused.status = RegStatus.DISQUALIFIED
            refused.decision_note = _("Từ chối ký biên bản đấu giá")
            refused.save(update_fields=["status", "decision_note"])
            _forfeit_deposit(refused, ForfeitReason.REFUSED_RECORD, pack, actor=actor)
            _end_unsuccessful(
                step,
                pack,
                _("Người trúng đấu giá từ chối ký biên bản."),
                "refused_record",
                legal_basis=pack.cite("forfeit_refused_record"),
            )
        else:
            now = clock.now()
            auction.status = Status.RECORD_SIGNED
            auction.record_signed_at = now
            auction.chain_published_at = now
            step.facts.update(
                legal_basis=pack.cite("record"),
                record=auction.record_number,
                chain_head=auction.chain_head,
                bids=verdict.count,
            )
    return step.obj


@service
def auction_results_send(*, actor, auction_id: int) -> Auction:
    """Send the results and the record to the owner and the winner (Law 01/2016 art. 45: within 3
    working days of the session); the event records whether it was on time."""
    with WORKFLOW.step(actor, _auction(auction_id), "results_send") as step:
        auction = step.obj
        pack = pack_of(auction)
        now = clock.now()
        deadline = add_working_days(local_day(auction.ends_at), pack.value("results_send_working_days"))
        auction.results_sent_at = now
        step.facts.update(
            legal_basis=pack.cite("results_send_working_days"),
            deadline=deadline,
            on_time=local_day(now) <= deadline,
        )
    return step.obj


@service
def auction_contract_sign(
    *,
    actor,
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
    from cuakhau.assets.schedule import add_months
    from cuakhau.assets.services import lease_create

    with WORKFLOW.step(actor, _auction(auction_id), "contract") as step:
        auction = step.obj
        pack = pack_of(auction)
        winner = Registration.objects.select_for_update().get(pk=auction.winner_id)
        received = deposit_received(winner)
        lease = lease_create(
            actor=actor,
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
                recorded_by=actor,
            )
        auction.lease = lease
        step.facts.update(legal_basis=pack.cite("winner_deposit_to_contract"), lease=lease.number)
    return step.obj

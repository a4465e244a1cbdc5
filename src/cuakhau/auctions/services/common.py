"""Checks and steps shared by the auction services: the acting user, the locks on the auction and
registration rows, the status and rule-pack checks, the transition's audit event, deposits received
and settled, forfeiture and the end of an unsuccessful auction."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.context import current
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.workcal import add_working_days

from .. import clock
from ..models import (
    SETTLING_KINDS,
    Auction,
    BidKind,
    DepositEntry,
    DepositKind,
    ForfeitReason,
    Registration,
    RegStatus,
    RulePack,
    Status,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


FORFEIT_RULE = {
    ForfeitReason.NO_SHOW: "forfeit_no_show",
    ForfeitReason.DISQUALIFIED: "forfeit_disqualified",
    ForfeitReason.REFUSED_RECORD: "forfeit_refused_record",
    ForfeitReason.WITHDREW: "forfeit_withdrew",
    ForfeitReason.REFUSED_WIN: "forfeit_refused_win",
}


def acting_user():
    actor = current().actor
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def lock_auction(auction_id: int) -> Auction:
    auction = Auction.objects.select_for_update().filter(pk=auction_id).first()
    if auction is None:
        raise NotFound(_("Không có cuộc đấu giá này."), field="auction")
    return auction


def require_status(auction: Auction, *allowed: str) -> None:
    if auction.status not in allowed:
        raise ServiceError(
            _("Cuộc đấu giá đang ở bước “%(s)s”; bước này không làm được lúc này.")
            % {"s": auction.get_status_display()},
            field="status",
            code="wrong_state",
            status=409,
        )


def pack_of(auction: Auction) -> RulePack:
    if auction.rule_pack_id is None:
        raise ServiceError(_("Cuộc đấu giá chưa được phê duyệt."), field="status", status=409)
    return auction.rule_pack


def record_transition(auction: Auction, action: str, before: str, *, basis: str = "", **after: Any) -> None:
    audit_record(
        action=f"auction.{action}",
        obj=auction,
        before={"status": before},
        after={"status": auction.status, "legal_basis": basis, **after},
    )


def clean_money(value: Any, field: str, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        raise ServiceError(_("Số tiền phải là số đồng nguyên dương."), field=field)
    return value


def random_code(prefix: str, n: int = 8) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _i in range(n))


def lock_registration(registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_for_update().select_related("auction").filter(pk=registration_id).first()
    )
    if registration is None:
        raise NotFound(_("Không có người đăng ký này."), field="registration")
    return registration


def deposit_received(registration: Registration) -> DepositEntry | None:
    return registration.deposit_entries.filter(kind=DepositKind.RECEIVED).first()


def deposit_settlement(registration: Registration) -> DepositEntry | None:
    return registration.deposit_entries.filter(kind__in=list(SETTLING_KINDS)).first()


def valid_bids(auction: Auction):
    return auction.bids.filter(kind=BidKind.BID, registration__status=RegStatus.ELIGIBLE)


def forfeit_deposit(registration: Registration, reason: str, pack: RulePack) -> DepositEntry | None:
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
        recorded_by=acting_user(),
    )


def end_unsuccessful(auction: Auction, pack: RulePack, reason: str, code: str) -> None:
    auction.status = Status.UNSUCCESSFUL
    auction.outcome_reason = str(reason)[:500]
    auction.outcome_basis = pack.cite("unsuccessful")[:255]
    auction.refunds_due_on = add_working_days(clock.today(), pack.value("deposit_refund_working_days"))
    auction.winner = None
    auction.save()

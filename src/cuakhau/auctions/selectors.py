"""Reads of auctions. Bidders see others only under their labels: the live state and the bid list
carry labels, and real identities only for the caller's own registration."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from cuakhau.core.permissions import VIEW, get_for_user_or_404

from . import clock
from .models import (
    PUBLIC,
    SETTLING_KINDS,
    Auction,
    DepositEntry,
    DepositKind,
    Registration,
    RegStatus,
    RulePack,
    Status,
)
from .permissions import is_bidder_user, is_reader

NOTICE_STATES = (
    Status.POSTED,
    Status.REGISTRATION_OPEN,
    Status.REGISTRATION_CLOSED,
    Status.DEPOSITS_CHECKED,
    Status.BIDDERS_FIXED,
    Status.LIVE,
    Status.SUSPENDED,
)
RESULT_STATES = (
    Status.CLOSED,
    Status.RECORD_SIGNED,
    Status.RESULTS_SENT,
    Status.CONTRACTED,
    Status.UNSUCCESSFUL,
    Status.CANCELLED,
)


def deposit_received(registration: Registration) -> DepositEntry | None:
    return registration.deposit_entries.filter(kind=DepositKind.RECEIVED).first()


def deposit_settlement(registration: Registration) -> DepositEntry | None:
    return registration.deposit_entries.filter(kind__in=list(SETTLING_KINDS)).first()


def valid_bids(auction: Auction):
    """The bids that count: of eligible bidders (a withdrawer's are out), withdrawals and lots aside."""
    from .models import BidKind

    return auction.bids.filter(kind=BidKind.BID, registration__status=RegStatus.ELIGIBLE)


def auction_list(*, user, status: str = ""):
    auctions = Auction.objects.for_user(user).select_related("asset", "asset__gate")
    if status:
        auctions = auctions.filter(status=status)
    return auctions


def auction_detail(*, user, code: str, action: str = VIEW) -> Auction:
    return get_for_user_or_404(
        Auction.objects.select_related(
            "asset", "asset__gate", "rule_pack", "winner", "winner__enterprise", "lease"
        ),
        user,
        action,
        code=code,
    )


def my_registration(*, user, auction: Auction) -> Registration | None:
    if not is_bidder_user(user):
        return None
    return (
        Registration.objects.filter(auction=auction, enterprise__unit_id=user.unit_id)
        .select_related("enterprise")
        .first()
    )


def registrations_for(*, user, auction: Auction):
    """Every registration for the Board and inspectors; only one's own for an enterprise user."""
    return (
        Registration.objects.for_user(user)
        .filter(auction=auction)
        .select_related("enterprise")
        .order_by("label")
    )


def deposits_held(*, auction: Auction) -> set[int]:
    """The registrations whose deposit was received and is not yet refunded, converted or forfeited."""
    entries = DepositEntry.objects.filter(registration__auction=auction)
    settled = entries.filter(kind__in=list(SETTLING_KINDS)).values("registration_id")
    return set(
        entries.filter(kind=DepositKind.RECEIVED)
        .exclude(registration_id__in=settled)
        .values_list("registration_id", flat=True)
    )


def bids_for(*, user, auction: Auction):
    """The chain entries, in order. Anyone who may see the auction sees amounts, times and labels;
    `mine` marks the caller's own."""
    mine = my_registration(user=user, auction=auction)
    rows = []
    for b in auction.bids.select_related("registration").order_by("seq"):
        rows.append(
            {
                "bid": b,
                "label": b.registration.label,
                "mine": mine is not None and b.registration_id == mine.pk,
            }
        )
    return rows


def live_state(*, user, auction: Auction) -> dict:
    now = clock.now()
    mine = my_registration(user=user, auction=auction)
    best_label = auction.best_registration.label if auction.best_registration_id else ""
    remaining = 0
    if auction.status == Status.LIVE and auction.ends_at:
        remaining = max(0, int((auction.ends_at - now).total_seconds()))
    return {
        "auction": auction,
        "now": now,
        "remaining": remaining,
        "best_amount": auction.best_amount,
        "best_label": best_label,
        "best_is_mine": mine is not None and auction.best_registration_id == mine.pk,
        "next_minimum": auction.next_minimum(),
        "mine": mine,
        "can_bid": mine is not None
        and mine.status == RegStatus.ELIGIBLE
        and auction.status == Status.LIVE
        and remaining > 0
        and (not auction.tie_round or mine.pk in auction.tie_registrations),
        "recent": list(auction.bids.select_related("registration").order_by("-seq")[:10]),
    }


def deposit_ledger(*, user, auction: Auction):
    return (
        DepositEntry.objects.for_user(user)
        .filter(registration__auction=auction)
        .select_related("registration", "registration__enterprise")
        .order_by("registration__label", "at", "id")
    )


def public_notices():
    return (
        Auction.objects.filter(status__in=NOTICE_STATES)
        .select_related("asset", "asset__gate")
        .order_by("session_start")
    )


def public_results():
    return (
        Auction.objects.filter(status__in=RESULT_STATES)
        .select_related("asset", "asset__gate", "winner", "winner__enterprise")
        .order_by("-closed_at", "-id")
    )


def public_auction(code: str) -> Auction | None:
    return (
        Auction.objects.filter(code=code, status__in=list(PUBLIC))
        .select_related("asset", "asset__gate", "winner", "winner__enterprise", "rule_pack")
        .first()
    )


def rule_packs():
    return RulePack.objects.order_by("-effective_from")


def system_log(*, user, auction: Auction):
    """The auction's audit events, for the Board and inspectors only."""
    from cuakhau.core.models import AuditEvent

    if not is_reader(user):
        return AuditEvent.objects.none()
    reg_ids = [str(pk) for pk in auction.registrations.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="auctions.auction", object_id=str(auction.pk))
        | Q(object_type="auctions.registration", object_id__in=reg_ids)
    ).order_by("id")


def refunds_due(*, user, day=None):
    """Deposits received, not settled, whose auction is over: to refund by `refunds_due_on`."""
    day = day or timezone.localdate()
    settled = DepositEntry.objects.filter(kind__in=list(SETTLING_KINDS)).values("registration_id")
    over = Auction.objects.filter(refunds_due_on__isnull=False).values("pk")
    return (
        DepositEntry.objects.for_user(user)
        .filter(kind=DepositKind.RECEIVED, registration__auction__in=over)
        .exclude(registration_id__in=settled)
        .exclude(registration__auction__winner_id=F("registration_id"))
        .select_related("registration", "registration__auction")
    )

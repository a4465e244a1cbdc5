"""What the auction services share inside their transactions: the registration's lock, the forfeiture
of a deposit and the end of an unsuccessful auction. The auction's own lock, status check and audit
event are its workflow's step (auctions.actions.WORKFLOW)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core.errors import NotFound
from cuakhau.core.workcal import add_working_days

from .. import clock
from ..models import Auction, DepositEntry, DepositKind, Registration, RulePack, Status
from ..selectors import deposit_received, deposit_settlement
from ..validation import FORFEIT_RULE


def _lock_registration(registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_for_update().select_related("auction").filter(pk=registration_id).first()
    )
    if registration is None:
        raise NotFound(_("Không có người đăng ký này."), field="registration")
    return registration


def _forfeit_deposit(
    registration: Registration, reason: str, pack: RulePack, *, actor
) -> DepositEntry | None:
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
        recorded_by=actor,
    )


def _end_unsuccessful(step, pack: RulePack, text: str, code: str, **facts) -> None:
    """Inside a workflow step: the auction ends unsuccessful, recorded as that outcome with its basis
    (Law 01/2016 art. 52) and the deposits due back within the pack's working days."""
    auction: Auction = step.obj
    auction.status = Status.UNSUCCESSFUL
    auction.outcome_reason = str(text)[:500]
    auction.outcome_basis = pack.cite("unsuccessful")[:255]
    auction.refunds_due_on = add_working_days(clock.today(), pack.value("deposit_refund_working_days"))
    auction.winner = None
    step.audit = "auctions.auction.unsuccessful"
    step.facts.update({"legal_basis": pack.cite("unsuccessful"), "reason": code, **facts})

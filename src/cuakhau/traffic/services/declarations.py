"""The declaration's lifecycle. Each transition is one service: one transaction, the declaration row
locked for update, one audit event; an illegal transition is refused with a message that says what
state the declaration is in and what is allowed from there.

    (the workflow: actions.DECLARATION)

The pre-arrival declaration replaces the five paper forms enterprises filed with five agencies
(Lạng Sơn's smart border-gate programme, Decision 1218/QĐ-UBND 2023 on the digital border-gate
platform); the one-active-trip rule and the queue in order of approval end 'buying a place'."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n
from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service
from cuakhau.parties.models import Vehicle

from .. import passes
from ..actions import DECLARATION
from ..models import ACTIVE_STATUSES, AgencyCheck, Declaration, Status
from ..permissions import CANCELLABLE_BY_DECLARANT, CANCELLABLE_BY_GATE, cancel_states
from ..rules import checks_needed
from ..validation import planned_arrival
from .regulation import _check_daily_capacity, _free_slot, _next_queue_number

S = Status
CANCELLABLE = tuple(dict.fromkeys(CANCELLABLE_BY_DECLARANT + CANCELLABLE_BY_GATE))


def _busy_elsewhere(plate: str) -> str:
    """The one-active-trip refusal when the other trip is not the declarant's: it says nothing of that
    trip (its number, enterprise, driver or goods), only where to turn."""
    return _(
        "Phương tiện %(plate)s đang có một chuyến chưa kết thúc: mỗi xe chỉ một chuyến đang hoạt động. "
        "Nếu không phải chuyến của doanh nghiệp bạn, hãy liên hệ trung tâm điều hành cửa khẩu."
    ) % {"plate": plate}


def _vehicle_busy(declaration: Declaration) -> None:
    """One active declaration per vehicle: the vehicle's row is locked, so two submissions for one
    vehicle are serialised here; the partial unique index is the last word."""
    Vehicle.objects.select_for_update().filter(pk=declaration.vehicle_id).first()
    other = (
        Declaration.objects.filter(vehicle_id=declaration.vehicle_id, status__in=ACTIVE_STATUSES)
        .exclude(pk=declaration.pk)
        .first()
    )
    if other is not None and other.enterprise_id == declaration.enterprise_id:
        raise ServiceError(
            _(
                "Phương tiện %(plate)s đang có tờ khai %(n)s chưa kết thúc (%(state)s): mỗi xe chỉ một chuyến "
                "đang hoạt động."
            )
            % {"plate": declaration.vehicle.plate, "n": other.number, "state": other.get_status_display()},
            field="vehicle",
            code="vehicle_busy",
            status=409,
        )
    if other is not None:
        # Another enterprise's trip: its number, driver and goods are not this declarant's to see.
        raise ServiceError(
            _busy_elsewhere(declaration.vehicle.plate), field="vehicle", code="vehicle_busy", status=409
        )


@service
def declaration_submit(*, actor, declaration: Declaration) -> Declaration:
    """Send a draft (or a corrected, returned declaration) to the gate for approval."""
    with DECLARATION.step(actor, declaration, "submit") as step:
        declaration = step.obj
        if not declaration.lines.exists():
            raise ServiceError(_("Tờ khai cần ít nhất một dòng hàng."), field="lines")
        planned_arrival(declaration.planned_arrival)
        _vehicle_busy(declaration)
        declaration.status = S.SUBMITTED
        declaration.submitted_at = timezone.now()
        declaration.return_reason = ""
        try:
            with transaction.atomic():  # the partial unique index on active trips is the last word
                declaration.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
        except IntegrityError as exc:
            raise ServiceError(
                _busy_elsewhere(declaration.vehicle.plate), field="vehicle", code="vehicle_busy", status=409
            ) from exc
    return declaration


@service
def declaration_approve(*, actor, declaration: Declaration) -> Declaration:
    """Approve a submitted declaration: it takes the next queue number at its gate in its direction
    (in order of approval, from a counter row locked for update), a time slot with room left if the
    gate has slots, the agency checks its goods need, and a fresh QR-pass nonce."""
    with DECLARATION.step(actor, declaration, "approve") as step:
        declaration = step.obj
        declaration.queue_number = _next_queue_number(gate=declaration.gate, direction=declaration.direction)
        declaration.slot, declaration.slot_date = _free_slot(declaration)
        declaration.approved_at = timezone.now()
        declaration.approved_by = actor
        declaration.pass_nonce = passes.new_nonce()
        needed = checks_needed(declaration)
        declaration.checks.exclude(agency_kind__in=needed).delete()
        existing = set(declaration.checks.values_list("agency_kind", flat=True))
        AgencyCheck.objects.bulk_create(
            [AgencyCheck(declaration=declaration, agency_kind=k) for k in needed if k not in existing]
        )
        step.facts.update(
            checks=needed,
            slot=str(declaration.slot) if declaration.slot else None,
            slot_date=declaration.slot_date,
        )
    return declaration


@service
def declaration_return(*, actor, declaration: Declaration, reason: str) -> Declaration:
    """Return a submitted declaration to the declarant for correction, saying why."""
    with DECLARATION.step(actor, declaration, "return") as step:
        reason = " ".join((reason or "").split())
        if not reason:
            raise ServiceError(_("Cần ghi lý do trả lại để doanh nghiệp sửa."), field="reason")
        step.obj.return_reason = reason[:500]
    return step.obj


@service
def declaration_call_forward(*, actor, declaration: Declaration, reason: str = "") -> Declaration:
    """Call an approved vehicle forward to the gate. Vehicles are called in queue order; calling one
    ahead of others needs a reason, kept in the audit log. A gate with a daily capacity calls no more
    vehicles in a day than the capacity in that direction."""
    with DECLARATION.step(actor, declaration, "call") as step:
        declaration = step.obj
        ahead = Declaration.objects.filter(
            gate_id=declaration.gate_id,
            direction=declaration.direction,
            status=S.APPROVED,
            queue_number__lt=declaration.queue_number,
        ).count()
        reason = " ".join((reason or "").split())
        if ahead and not reason:
            raise ServiceError(
                _("Còn %(n)s xe đứng trước xe này trong hàng chờ: gọi vượt thứ tự phải ghi lý do.")
                % {"n": l10n.format_number(ahead)},
                field="reason",
            )
        _check_daily_capacity(gate=declaration.gate, direction=declaration.direction)
        declaration.called_at = timezone.now()
        step.facts.update(ahead=ahead, reason=reason or None)
    return declaration


def _state_refused(declaration: Declaration, allowed: tuple[str, ...]) -> ServiceError:
    return ServiceError(
        _("Không thể %(action)s %(object)s đang ở trạng thái “%(state)s”; chỉ được khi: %(allowed)s.")
        % {
            "action": DECLARATION.get("cancel").label,
            "object": DECLARATION.describe(declaration),
            "state": declaration.get_status_display(),
            "allowed": ", ".join(str(Status(s).label) for s in allowed),
        },
        field="status",
        code="illegal_transition",
        status=409,
    )


@service
def declaration_cancel(*, actor, declaration: Declaration, reason: str = "") -> Declaration:
    """Cancel a trip that has not reached the yard: the declarant until the vehicle is called (while
    drafting, waiting for approval, returned, or waiting in the queue), the gate for an approved or
    called vehicle that does not come. The queue place and the QR pass lapse with it."""
    with DECLARATION.step(actor, declaration, "cancel") as step:
        declaration = step.obj
        allowed = cancel_states(actor, declaration) if actor is not None else CANCELLABLE
        if declaration.status not in allowed:
            raise _state_refused(declaration, allowed)
        reason = " ".join((reason or "").split())
        if declaration.status != S.DRAFT and not reason:
            raise ServiceError(_("Cần ghi lý do hủy."), field="reason")
        declaration.cancel_reason = reason[:500]
        declaration.cancelled_at = timezone.now()
        declaration.pass_nonce = ""
    return declaration


@service
def declaration_complete(*, actor, declaration: Declaration) -> Declaration:
    """Close a trip that has crossed (by the gate, or by the nightly task after a day: actor None)."""
    with DECLARATION.step(actor, declaration, "complete") as step:
        step.obj.completed_at = timezone.now()
    return step.obj

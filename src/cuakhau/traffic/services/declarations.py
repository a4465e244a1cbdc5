"""The declaration's lifecycle. Each transition is one service: one transaction, the declaration row
locked for update, one audit event; an illegal transition is refused with a message that says what
state the declaration is in and what is allowed from there.

    draft ─submit→ submitted ─approve→ approved ─call_forward→ called ─(gate-in)→ in_yard
      ↑                │                                               ─(gate-out)→ crossed ─complete→ completed
      └──(edit)── returned ←return─┘
    cancel: from draft, submitted, returned, approved (the enterprise) and approved, called (the gate)

The pre-arrival declaration replaces the five paper forms enterprises filed with five agencies
(Lạng Sơn's smart border-gate programme, Decision 1218/QĐ-UBND 2023 on the digital border-gate
platform); the one-active-trip rule and the queue in order of approval end 'buying a place'."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import CHANGE
from cuakhau.parties.models import Vehicle

from .. import passes
from ..models import (
    ACTIVE_STATUSES,
    CHECK_AGENCIES,
    AgencyCheck,
    Declaration,
    GoodsKind,
    goods_kind,
)
from ..permissions import REGULATE
from . import regulation, validation
from .common import S, actor_user, locked, snap, state_error
from .drafting import declaration_create, declaration_update, direction_for

# Drafting (drafting.py) is the lifecycle's first step: its services are named here too, where callers
# (the Excel upload) have always found them.
__all__ = [
    "CANCELLABLE_BY_DECLARANT",
    "CANCELLABLE_BY_GATE",
    "checks_needed",
    "declaration_approve",
    "declaration_call_forward",
    "declaration_cancel",
    "declaration_complete",
    "declaration_create",
    "declaration_return",
    "declaration_submit",
    "declaration_update",
    "direction_for",
]


def _record(action: str, declaration: Declaration, before: dict | None, actor=None, **extra) -> None:
    after = snap(declaration) | extra
    audit_record(action=action, obj=declaration, before=before, after=after, actor=actor_user(actor))


def busy_elsewhere(plate: str) -> str:
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
            busy_elsewhere(declaration.vehicle.plate), field="vehicle", code="vehicle_busy", status=409
        )


@transaction.atomic
def declaration_submit(*, actor, declaration: Declaration) -> Declaration:
    """Send a draft (or a corrected, returned declaration) to the gate for approval."""
    declaration = locked(declaration, actor, CHANGE)
    if declaration.status not in (S.DRAFT, S.RETURNED):
        raise state_error(declaration, _("gửi"), (S.DRAFT, S.RETURNED))
    if not declaration.lines.exists():
        raise ServiceError(_("Tờ khai cần ít nhất một dòng hàng."), field="lines")
    validation.planned_arrival(declaration.planned_arrival)
    _vehicle_busy(declaration)
    before = snap(declaration)
    declaration.status = S.SUBMITTED
    declaration.submitted_at = timezone.now()
    declaration.return_reason = ""
    try:
        with transaction.atomic():
            declaration.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
    except IntegrityError as exc:
        raise ServiceError(
            busy_elsewhere(declaration.vehicle.plate),
            field="vehicle",
            code="vehicle_busy",
            status=409,
        ) from exc
    _record("declaration.submit", declaration, before, actor)
    return declaration


def checks_needed(declaration: Declaration) -> list[str]:
    """The agencies a trip passes through (Decree 08/2015/ND-CP; Law on Plant Protection and
    Quarantine 2013; Law on Veterinary Medicine 2015; Decree 89/2018/ND-CP on border health
    quarantine): customs and border guard for every trip, the medical check of the driver, plant
    quarantine when a line is agricultural goods or vegetables, animal quarantine for live animals."""
    kinds = {goods_kind(code) for code in declaration.lines.values_list("hs_code", flat=True)}
    needed = ["customs", "border_guard", "medical_quarantine"]
    if kinds & {GoodsKind.AGRICULTURAL, GoodsKind.VEGETABLES}:
        needed.append("plant_quarantine")
    if GoodsKind.LIVE_ANIMALS in kinds:
        needed.append("animal_quarantine")
    return [k for k in CHECK_AGENCIES if k in needed]


@transaction.atomic
def declaration_approve(*, actor, declaration: Declaration) -> Declaration:
    """Approve a submitted declaration: it takes the next queue number at its gate in its direction
    (in order of approval, from a counter row locked for update), a time slot with room left if the
    gate has slots, the agency checks its goods need, and a fresh QR-pass nonce."""
    declaration = locked(declaration, actor, REGULATE)
    if declaration.status != S.SUBMITTED:
        raise state_error(declaration, _("duyệt"), (S.SUBMITTED,))
    before = snap(declaration)
    declaration.queue_number = regulation.next_queue_number(
        gate=declaration.gate, direction=declaration.direction
    )
    declaration.slot, declaration.slot_date = regulation.free_slot(declaration)
    declaration.status = S.APPROVED
    declaration.approved_at = timezone.now()
    declaration.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    declaration.pass_nonce = passes.new_nonce()
    declaration.save()
    needed = checks_needed(declaration)
    declaration.checks.exclude(agency_kind__in=needed).delete()
    existing = set(declaration.checks.values_list("agency_kind", flat=True))
    AgencyCheck.objects.bulk_create(
        [AgencyCheck(declaration=declaration, agency_kind=k) for k in needed if k not in existing]
    )
    _record(
        "declaration.approve",
        declaration,
        before,
        actor,
        checks=needed,
        slot=str(declaration.slot) if declaration.slot else None,
        slot_date=declaration.slot_date,
    )
    return declaration


@transaction.atomic
def declaration_return(*, actor, declaration: Declaration, reason: str) -> Declaration:
    """Return a submitted declaration to the declarant for correction, saying why."""
    declaration = locked(declaration, actor, REGULATE)
    if declaration.status != S.SUBMITTED:
        raise state_error(declaration, _("trả lại"), (S.SUBMITTED,))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Cần ghi lý do trả lại để doanh nghiệp sửa."), field="reason")
    before = snap(declaration)
    declaration.status = S.RETURNED
    declaration.return_reason = reason[:500]
    declaration.save(update_fields=["status", "return_reason", "updated_at"])
    _record("declaration.return", declaration, before, actor)
    return declaration


@transaction.atomic
def declaration_call_forward(*, actor, declaration: Declaration, reason: str = "") -> Declaration:
    """Call an approved vehicle forward to the gate. Vehicles are called in queue order; calling one
    ahead of others needs a reason, kept in the audit log. A gate with a daily capacity calls no more
    vehicles in a day than the capacity in that direction."""
    declaration = locked(declaration, actor, REGULATE)
    if declaration.status != S.APPROVED:
        raise state_error(declaration, _("gọi vào"), (S.APPROVED,))
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
    regulation.check_daily_capacity(gate=declaration.gate, direction=declaration.direction)
    before = snap(declaration)
    declaration.status = S.CALLED
    declaration.called_at = timezone.now()
    declaration.save(update_fields=["status", "called_at", "updated_at"])
    _record("declaration.call_forward", declaration, before, actor, ahead=ahead, reason=reason or None)
    return declaration


CANCELLABLE_BY_DECLARANT = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED)
CANCELLABLE_BY_GATE = (S.APPROVED, S.CALLED)


@transaction.atomic
def declaration_cancel(*, actor, declaration: Declaration, reason: str = "") -> Declaration:
    """Cancel a trip that has not reached the yard: the declarant until the vehicle is called (while
    drafting, waiting for approval, returned, or waiting in the queue), the gate for an approved or
    called vehicle that does not come. The queue place and the QR pass lapse with it."""
    pk = declaration.pk
    by_declarant = actor is None or Declaration.objects.for_user(actor, CHANGE).filter(pk=pk).exists()
    by_gate = actor is None or Declaration.objects.for_user(actor, REGULATE).filter(pk=pk).exists()
    if not (by_declarant or by_gate):
        raise NotFound(_("Không tìm thấy tờ khai hoặc bạn không có quyền thao tác."))
    declaration = Declaration.objects.select_for_update().get(pk=pk)
    allowed = tuple(
        dict.fromkeys(
            (CANCELLABLE_BY_DECLARANT if by_declarant else ()) + (CANCELLABLE_BY_GATE if by_gate else ())
        )
    )
    if declaration.status not in allowed:
        raise state_error(declaration, _("hủy"), allowed)
    reason = " ".join((reason or "").split())
    if declaration.status != S.DRAFT and not reason:
        raise ServiceError(_("Cần ghi lý do hủy."), field="reason")
    before = snap(declaration)
    declaration.status = S.CANCELLED
    declaration.cancel_reason = reason[:500]
    declaration.cancelled_at = timezone.now()
    declaration.pass_nonce = ""
    declaration.save(update_fields=["status", "cancel_reason", "cancelled_at", "pass_nonce", "updated_at"])
    _record("declaration.cancel", declaration, before, actor)
    return declaration


@transaction.atomic
def declaration_complete(*, actor, declaration: Declaration) -> Declaration:
    """Close a trip that has crossed (by the gate, or by the nightly task after a day)."""
    declaration = locked(declaration, actor, REGULATE)
    if declaration.status != S.CROSSED:
        raise state_error(declaration, _("đóng"), (S.CROSSED,))
    before = snap(declaration)
    declaration.status = S.COMPLETED
    declaration.completed_at = timezone.now()
    declaration.save(update_fields=["status", "completed_at", "updated_at"])
    _record("declaration.complete", declaration, before, actor)
    return declaration

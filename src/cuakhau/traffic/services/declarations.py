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

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import CHANGE
from cuakhau.gates.models import Gate, GateMode
from cuakhau.parties.models import Driver, Enterprise, Vehicle
from cuakhau.parties.permissions import acting_for

from .. import passes
from ..models import (
    ACTIVE_STATUSES,
    CHECK_AGENCIES,
    FLOW_DIRECTION,
    AgencyCheck,
    Container,
    Declaration,
    Direction,
    Flow,
    GoodsKind,
    GoodsLine,
    Status,
    goods_kind,
)
from ..permissions import REGULATE
from . import regulation, validation

AUDIT_FIELDS = [
    "enterprise",
    "agent",
    "vehicle",
    "trailer",
    "driver",
    "gate",
    "flow",
    "direction",
    "two_way",
    "planned_arrival",
    "status",
    "queue_number",
    "return_reason",
    "cancel_reason",
]
MAX_LINES = 50
MAX_CONTAINERS = 4

S = Status


def _state_error(declaration: Declaration, verb: str, allowed: tuple[str, ...]) -> ServiceError:
    labels = ", ".join(str(Status(s).label).lower() for s in allowed)
    return ServiceError(
        _(
            "Không thể %(verb)s tờ khai %(n)s đang ở trạng thái “%(state)s”; chỉ %(verb)s được khi: %(allowed)s."
        )
        % {
            "verb": verb,
            "n": declaration.number,
            "state": declaration.get_status_display(),
            "allowed": labels,
        },
        field="status",
        code="illegal_transition",
        status=409,
    )


def _locked(declaration: Declaration | int, actor, action: str) -> Declaration:
    """The declaration, locked for update, if `actor` may do `action` on it; 404 otherwise."""
    pk = declaration.pk if isinstance(declaration, Declaration) else declaration
    queryset = Declaration.objects.all()
    if actor is not None:
        queryset = queryset.for_user(actor, action)
    found = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Không tìm thấy tờ khai hoặc bạn không có quyền thao tác."))
    return found


def _snap(declaration: Declaration) -> dict[str, Any]:
    return snapshot(declaration, AUDIT_FIELDS)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _record(action: str, declaration: Declaration, before: dict | None, actor=None, **extra) -> None:
    after = _snap(declaration) | extra
    audit_record(action=action, obj=declaration, before=before, after=after, actor=_actor(actor))


# --- drafting ------------------------------------------------------------------------------------


def direction_for(flow: str, stated: str = "") -> str:
    """The direction a flow implies; flows that go either way take the declarant's."""
    if flow not in Flow.values:
        raise ServiceError(
            _("Loại hình phải là một trong: %(v)s.") % {"v": ", ".join(Flow.values)}, field="flow"
        )
    fixed = FLOW_DIRECTION.get(flow)
    if fixed is not None:
        if stated and stated != fixed:
            raise ServiceError(
                _("Loại hình %(flow)s có hướng %(dir)s.")
                % {"flow": Flow(flow).label, "dir": Direction(fixed).label},
                field="direction",
            )
        return fixed
    if stated not in Direction.values:
        raise ServiceError(
            _("Loại hình %(flow)s đi được cả hai chiều: hãy chọn hướng (xuất cảnh hoặc nhập cảnh).")
            % {"flow": Flow(flow).label},
            field="direction",
        )
    return stated


def _enterprise_for(actor, enterprise: Enterprise) -> Enterprise | None:
    """The agent acting, if any; refuses an enterprise the actor may not declare for."""
    if actor is None or actor.is_superuser or actor.role == "admin":
        return None
    if actor.role != "enterprise_user" or not acting_for(actor).filter(pk=enterprise.pk).exists():
        raise ServiceError(
            _("Bạn không được khai tờ khai cho doanh nghiệp %(name)s (cần hợp đồng đại lý còn hiệu lực).")
            % {"name": enterprise.name},
            field="enterprise",
        )
    if enterprise.unit_id == actor.unit_id:
        return None
    return Enterprise.objects.filter(unit_id=actor.unit_id).first()


def clean_lines(lines: list[dict]) -> list[dict]:
    if not lines:
        raise ServiceError(_("Tờ khai cần ít nhất một dòng hàng."), field="lines")
    if len(lines) > MAX_LINES:
        raise ServiceError(_("Tối đa %(n)s dòng hàng mỗi tờ khai.") % {"n": MAX_LINES}, field="lines")
    cleaned = []
    for i, line in enumerate(lines, start=1):
        prefix = f"lines.{i}."
        description = " ".join(str(line.get("description") or "").split())
        if not description:
            raise ServiceError(
                _("Dòng hàng %(i)s: cần mô tả hàng hóa.") % {"i": i}, field=prefix + "description"
            )
        unit = str(line.get("unit") or "").strip()
        if not unit:
            raise ServiceError(_("Dòng hàng %(i)s: cần đơn vị tính.") % {"i": i}, field=prefix + "unit")
        cur = validation.currency(line.get("currency"), field=prefix + "currency")
        value = validation.decimal_value(
            line.get("value"), field=prefix + "value", label=_("Trị giá"), positive=False, places=2
        )
        value_vnd = line.get("value_vnd")
        if cur == "VND":
            value_vnd = int(value)
        elif value_vnd not in (None, ""):
            value_vnd = int(
                validation.decimal_value(
                    value_vnd,
                    field=prefix + "value_vnd",
                    label=_("Trị giá quy ra đồng"),
                    positive=False,
                    places=0,
                )
            )
        else:
            value_vnd = None
        cleaned.append(
            {
                "line_no": i,
                "hs_code": validation.hs_code(line.get("hs_code"), field=prefix + "hs_code"),
                "description": description[:255],
                "quantity": validation.decimal_value(
                    line.get("quantity"), field=prefix + "quantity", label=_("Số lượng")
                ),
                "unit": unit[:16],
                "gross_kg": validation.decimal_value(
                    line.get("gross_kg"), field=prefix + "gross_kg", label=_("Trọng lượng (kg)"), places=2
                ),
                "value": value,
                "currency": cur,
                "value_vnd": value_vnd,
            }
        )
    return cleaned


def clean_containers(containers: list[dict]) -> list[dict]:
    if len(containers) > MAX_CONTAINERS:
        raise ServiceError(_("Tối đa %(n)s container mỗi xe.") % {"n": MAX_CONTAINERS}, field="containers")
    cleaned, seen = [], set()
    for i, item in enumerate(containers, start=1):
        number = validation.container_number(item.get("number"), field=f"containers.{i}.number")
        if number in seen:
            raise ServiceError(
                _("Container %(n)s khai hai lần.") % {"n": number}, field=f"containers.{i}.number"
            )
        seen.add(number)
        cleaned.append(
            {
                "number": number,
                "size": validation.container_size(item.get("size"), field=f"containers.{i}.size"),
            }
        )
    return cleaned


def _clean_header(*, vehicle, trailer, driver, gate, flow, direction, planned_arrival) -> dict[str, Any]:
    if not isinstance(vehicle, Vehicle):
        raise ServiceError(_("Cần chọn phương tiện."), field="vehicle")
    if vehicle.is_trailer:
        raise ServiceError(
            _("%(plate)s là rơ moóc: ghi ở ô rơ moóc, ô phương tiện là xe kéo hoặc xe tải.")
            % {"plate": vehicle.plate},
            field="vehicle",
        )
    if not vehicle.is_active:
        raise ServiceError(
            _("Phương tiện %(plate)s đang ngừng hoạt động.") % {"plate": vehicle.plate}, field="vehicle"
        )
    if trailer is not None:
        if not trailer.is_trailer:
            raise ServiceError(_("%(plate)s không phải rơ moóc.") % {"plate": trailer.plate}, field="trailer")
        if not trailer.is_active:
            raise ServiceError(
                _("Rơ moóc %(plate)s đang ngừng hoạt động.") % {"plate": trailer.plate}, field="trailer"
            )
    if not isinstance(driver, Driver):
        raise ServiceError(_("Cần chọn lái xe."), field="driver")
    if not driver.is_active:
        raise ServiceError(
            _("Lái xe %(name)s đang ngừng hoạt động.") % {"name": driver.full_name}, field="driver"
        )
    if not isinstance(gate, Gate) or not gate.is_active:
        raise ServiceError(_("Cần chọn cửa khẩu hoặc đường chuyên dụng đang hoạt động."), field="gate")
    if gate.mode != GateMode.ROAD:
        raise ServiceError(
            _("%(gate)s là ga đường sắt: tờ khai phương tiện chỉ dùng cho cửa khẩu đường bộ.")
            % {"gate": gate.name},
            field="gate",
        )
    direction = direction_for(flow, direction or "")
    if flow == Flow.TRANSSHIPMENT and not gate.yards.filter(is_active=True).exists():
        raise ServiceError(
            _("Chuyển tải chỉ làm tại bãi: %(gate)s chưa có bãi chuyển tải.") % {"gate": gate.name},
            field="flow",
        )
    return {
        "vehicle": vehicle,
        "trailer": trailer,
        "driver": driver,
        "gate": gate,
        "flow": flow,
        "direction": direction,
        "planned_arrival": validation.planned_arrival(planned_arrival),
    }


def _write_children(declaration: Declaration, lines: list[dict], containers: list[dict]) -> None:
    declaration.lines.all().delete()
    declaration.containers.all().delete()
    GoodsLine.objects.bulk_create([GoodsLine(declaration=declaration, **line) for line in lines])
    Container.objects.bulk_create([Container(declaration=declaration, **c) for c in containers])


def _children_summary(lines: list[dict], containers: list[dict]) -> dict[str, Any]:
    return {
        "lines": [
            {"hs_code": x["hs_code"], "quantity": x["quantity"], "unit": x["unit"], "gross_kg": x["gross_kg"]}
            for x in lines
        ],
        "containers": [f"{c['number']}/{c['size']}" for c in containers],
    }


@transaction.atomic
def declaration_create(
    *,
    actor,
    enterprise: Enterprise,
    vehicle: Vehicle,
    driver: Driver,
    gate: Gate,
    flow: str,
    planned_arrival: datetime.datetime,
    lines: list[dict],
    containers: list[dict] | None = None,
    trailer: Vehicle | None = None,
    direction: str = "",
    two_way: bool = False,
    note: str = "",
) -> Declaration:
    """Draft a declaration for one trip. The enterprise declares for itself, or a customs agent for a
    client under a valid mandate (Law on Customs 2014 art. 20-22). HS codes are checked as 8 digits of
    the national nomenclature, container numbers by their ISO 6346 check digit."""
    if not isinstance(enterprise, Enterprise) or not enterprise.is_active:
        raise ServiceError(_("Cần chọn doanh nghiệp đang hoạt động."), field="enterprise")
    agent = _enterprise_for(actor, enterprise)
    header = _clean_header(
        vehicle=vehicle,
        trailer=trailer,
        driver=driver,
        gate=gate,
        flow=flow,
        direction=direction,
        planned_arrival=planned_arrival,
    )
    clean = clean_lines(lines)
    boxes = clean_containers(containers or [])
    declaration = Declaration.objects.create(
        enterprise=enterprise,
        agent=agent,
        two_way=bool(two_way),
        note=(note or "").strip()[:500],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **header,
    )
    _write_children(declaration, clean, boxes)
    audit_record(
        action="declaration.create",
        obj=declaration,
        actor=_actor(actor),
        after=_snap(declaration) | _children_summary(clean, boxes),
    )
    return declaration


@transaction.atomic
def declaration_update(
    *,
    actor,
    declaration: Declaration,
    vehicle: Vehicle,
    driver: Driver,
    gate: Gate,
    flow: str,
    planned_arrival: datetime.datetime,
    lines: list[dict],
    containers: list[dict] | None = None,
    trailer: Vehicle | None = None,
    direction: str = "",
    two_way: bool = False,
    note: str = "",
) -> Declaration:
    """Change a draft, or a declaration returned for correction (it then goes back to draft)."""
    declaration = _locked(declaration, actor, CHANGE)
    if declaration.status not in (S.DRAFT, S.RETURNED):
        raise _state_error(declaration, _("sửa"), (S.DRAFT, S.RETURNED))
    before = _snap(declaration)
    header = _clean_header(
        vehicle=vehicle,
        trailer=trailer,
        driver=driver,
        gate=gate,
        flow=flow,
        direction=direction,
        planned_arrival=planned_arrival,
    )
    clean = clean_lines(lines)
    boxes = clean_containers(containers or [])
    for key, value in header.items():
        setattr(declaration, key, value)
    declaration.two_way = bool(two_way)
    declaration.note = (note or "").strip()[:500]
    declaration.status = S.DRAFT
    declaration.save()
    _write_children(declaration, clean, boxes)
    audit_record(
        action="declaration.update",
        obj=declaration,
        before=before,
        actor=_actor(actor),
        after=_snap(declaration) | _children_summary(clean, boxes),
    )
    return declaration


# --- transitions ---------------------------------------------------------------------------------


def _vehicle_busy(declaration: Declaration) -> None:
    """One active declaration per vehicle: the vehicle's row is locked, so two submissions for one
    vehicle are serialised here; the partial unique index is the last word."""
    Vehicle.objects.select_for_update().filter(pk=declaration.vehicle_id).first()
    other = (
        Declaration.objects.filter(vehicle_id=declaration.vehicle_id, status__in=ACTIVE_STATUSES)
        .exclude(pk=declaration.pk)
        .first()
    )
    if other is not None:
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


@transaction.atomic
def declaration_submit(*, actor, declaration: Declaration) -> Declaration:
    """Send a draft (or a corrected, returned declaration) to the gate for approval."""
    declaration = _locked(declaration, actor, CHANGE)
    if declaration.status not in (S.DRAFT, S.RETURNED):
        raise _state_error(declaration, _("gửi"), (S.DRAFT, S.RETURNED))
    if not declaration.lines.exists():
        raise ServiceError(_("Tờ khai cần ít nhất một dòng hàng."), field="lines")
    validation.planned_arrival(declaration.planned_arrival)
    _vehicle_busy(declaration)
    before = _snap(declaration)
    declaration.status = S.SUBMITTED
    declaration.submitted_at = timezone.now()
    declaration.return_reason = ""
    try:
        with transaction.atomic():
            declaration.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
    except IntegrityError as exc:
        raise ServiceError(
            _("Phương tiện %(plate)s đang có một tờ khai khác chưa kết thúc.")
            % {"plate": declaration.vehicle.plate},
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
    declaration = _locked(declaration, actor, REGULATE)
    if declaration.status != S.SUBMITTED:
        raise _state_error(declaration, _("duyệt"), (S.SUBMITTED,))
    before = _snap(declaration)
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
    declaration = _locked(declaration, actor, REGULATE)
    if declaration.status != S.SUBMITTED:
        raise _state_error(declaration, _("trả lại"), (S.SUBMITTED,))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Cần ghi lý do trả lại để doanh nghiệp sửa."), field="reason")
    before = _snap(declaration)
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
    declaration = _locked(declaration, actor, REGULATE)
    if declaration.status != S.APPROVED:
        raise _state_error(declaration, _("gọi vào"), (S.APPROVED,))
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
            % {"n": ahead},
            field="reason",
        )
    regulation.check_daily_capacity(gate=declaration.gate, direction=declaration.direction)
    before = _snap(declaration)
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
        raise _state_error(declaration, _("hủy"), allowed)
    reason = " ".join((reason or "").split())
    if declaration.status != S.DRAFT and not reason:
        raise ServiceError(_("Cần ghi lý do hủy."), field="reason")
    before = _snap(declaration)
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
    declaration = _locked(declaration, actor, REGULATE)
    if declaration.status != S.CROSSED:
        raise _state_error(declaration, _("đóng"), (S.CROSSED,))
    before = _snap(declaration)
    declaration.status = S.COMPLETED
    declaration.completed_at = timezone.now()
    declaration.save(update_fields=["status", "completed_at", "updated_at"])
    _record("declaration.complete", declaration, before, actor)
    return declaration


def blocking_checks(declaration: Declaration) -> list[AgencyCheck]:
    return [c for c in declaration.checks.all() if c.status != "passed"]


def declaration_counts(queryset) -> dict[str, int]:
    return dict(queryset.values_list("status").annotate(n=Count("id")).values_list("status", "n"))

"""Drafting a declaration: who may declare for an enterprise, the trip's vehicle, driver and gate, its
goods lines and containers checked (validation), and the draft written or changed (a returned
declaration goes back to draft: the workflow's `update` step)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import Problems, ServiceError
from cuakhau.core.service import service
from cuakhau.gates.models import Gate, GateMode
from cuakhau.parties.models import Driver, Enterprise, Vehicle
from cuakhau.parties.permissions import acting_for

from .. import permissions, validation
from ..actions import DECLARATION, declaration_snapshot
from ..models import Container, Declaration, Flow, GoodsLine
from ..validation import clean_containers, clean_lines, direction_for


def _enterprise_for(actor, enterprise: Enterprise) -> Enterprise | None:
    """The agent acting, if any; refuses an inactive enterprise, or one the actor may not declare for."""
    if not isinstance(enterprise, Enterprise) or not enterprise.is_active:
        raise ServiceError(_("Cần chọn doanh nghiệp đang hoạt động."), field="enterprise")
    if actor is None or permissions.may_declare_for_anyone(actor):
        return None
    if not permissions.may_declare_for(actor, enterprise):
        raise ServiceError(
            _("Bạn không được khai tờ khai cho doanh nghiệp %(name)s (cần hợp đồng đại lý còn hiệu lực).")
            % {"name": enterprise.name},
            field="enterprise",
        )
    if enterprise.unit_id == actor.unit_id:
        return None
    from cuakhau.parties.selectors import own_enterprise

    return own_enterprise(actor)


def _check_use(actor, enterprise, vehicle, trailer) -> None:
    """An enterprise (or its customs agent) declares only the vehicles it may use: those with no owner
    on record (foreign trucks and hired vehicles, declared by the enterprise that hires them for the
    trip), its own, or those of an enterprise the actor acts for (its own enterprise, its clients under
    a valid mandate). A competitor's truck cannot be declared, so its owner is never blocked by the
    one-active-trip rule. The refusal names the plate, never the owner."""
    if actor is None or permissions.may_declare_for_anyone(actor):
        return
    if not isinstance(enterprise, Enterprise):
        return
    allowed = None
    problems = Problems()
    for name, item in (("vehicle", vehicle), ("trailer", trailer)):
        if not isinstance(item, Vehicle) or item.owner_id is None or item.owner_id == enterprise.pk:
            continue
        if allowed is None:
            allowed = set(acting_for(actor).values_list("pk", flat=True)) if actor.unit_id else set()
        if item.owner_id not in allowed:
            problems.add(
                _(
                    "Phương tiện %(plate)s thuộc doanh nghiệp khác: chỉ khai được xe của doanh nghiệp có hàng, "
                    "của doanh nghiệp bạn được ủy quyền khai, hoặc xe chưa gắn doanh nghiệp sở hữu (xe nước ngoài, xe thuê)."
                )
                % {"plate": item.plate},
                field=name,
            )
    problems.raise_if_any()


def _check_vehicle(vehicle) -> None:
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


def _check_trailer(trailer) -> None:
    if trailer is None:
        return
    if not trailer.is_trailer:
        raise ServiceError(_("%(plate)s không phải rơ moóc.") % {"plate": trailer.plate}, field="trailer")
    if not trailer.is_active:
        raise ServiceError(
            _("Rơ moóc %(plate)s đang ngừng hoạt động.") % {"plate": trailer.plate}, field="trailer"
        )


def _check_driver(driver) -> None:
    if not isinstance(driver, Driver):
        raise ServiceError(_("Cần chọn lái xe."), field="driver")
    if not driver.is_active:
        raise ServiceError(
            _("Lái xe %(name)s đang ngừng hoạt động.") % {"name": driver.full_name}, field="driver"
        )


def _check_gate(gate) -> Gate:
    if not isinstance(gate, Gate) or not gate.is_active:
        raise ServiceError(_("Cần chọn cửa khẩu hoặc đường chuyên dụng đang hoạt động."), field="gate")
    if gate.mode != GateMode.ROAD:
        raise ServiceError(
            _("%(gate)s là ga đường sắt: tờ khai phương tiện chỉ dùng cho cửa khẩu đường bộ.")
            % {"gate": gate.name},
            field="gate",
        )
    return gate


def _clean_header(
    problems: Problems, *, vehicle, trailer, driver, gate, flow, direction, planned_arrival
) -> dict[str, Any]:
    """The trip's header; each field's error goes to `problems`, so that all are reported together."""
    problems.run(_check_vehicle, vehicle)
    problems.run(_check_trailer, trailer)
    problems.run(_check_driver, driver)
    checked_gate = problems.run(_check_gate, gate)
    direction = problems.run(direction_for, flow, direction or "")
    if (
        checked_gate is not None
        and flow == Flow.TRANSSHIPMENT
        and not checked_gate.yards.filter(is_active=True).exists()
    ):
        problems.add(
            _("Chuyển tải chỉ làm tại bãi: %(gate)s chưa có bãi chuyển tải.") % {"gate": checked_gate.name},
            field="flow",
        )
    return {
        "vehicle": vehicle,
        "trailer": trailer,
        "driver": driver,
        "gate": gate,
        "flow": flow,
        "direction": direction,
        "planned_arrival": problems.run(validation.planned_arrival, planned_arrival),
    }


def _clean_draft(
    *, lines: list[dict], containers: list[dict] | None, two_way: bool, note: str, **header
) -> tuple[dict[str, Any], list[dict], list[dict]]:
    """What a draft holds, checked the same way when it is created and when it is changed: its fields
    (the trip's header, two-way, note), its goods lines and its containers. Every part is checked
    and every error raised together, so that the page shows them all on one submit."""
    problems = Problems()
    fields = _clean_header(problems, **header)
    clean = problems.run(clean_lines, lines)
    boxes = problems.run(clean_containers, containers or [])
    problems.raise_if_any()
    assert clean is not None and boxes is not None
    return fields | {"two_way": bool(two_way), "note": (note or "").strip()[:500]}, clean, boxes


def draft_errors(*, actor, enterprise: Enterprise | None = None, **draft) -> ServiceError | None:
    """The refusal `declaration_create` (with an enterprise) or `declaration_update` would give these
    inputs, without writing anything; None if they are all right. Pages call it when their own form
    already has errors, so that the service's errors are shown on the same submit."""
    problems = Problems()
    if enterprise is not None:
        problems.run(_enterprise_for, actor, enterprise)
        problems.run(_check_use, actor, enterprise, draft.get("vehicle"), draft.get("trailer"))
    problems.run(_clean_draft, **draft)
    return ServiceError.join(problems.errors) if problems else None


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


@service
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
    the national nomenclature, container numbers by their ISO 6346 check digit. The system (actor
    None: the demo loader) declares for any enterprise."""
    problems = Problems()
    agent = problems.run(_enterprise_for, actor, enterprise)
    problems.run(_check_use, actor, enterprise, vehicle, trailer)
    cleaned = problems.run(
        _clean_draft,
        vehicle=vehicle,
        trailer=trailer,
        driver=driver,
        gate=gate,
        flow=flow,
        direction=direction,
        planned_arrival=planned_arrival,
        lines=lines,
        containers=containers,
        two_way=two_way,
        note=note,
    )
    problems.raise_if_any()
    assert cleaned is not None
    fields, clean, boxes = cleaned
    declaration = Declaration.objects.create(enterprise=enterprise, agent=agent, created_by=actor, **fields)
    _write_children(declaration, clean, boxes)
    audit_record(
        action="traffic.declaration.create",
        obj=declaration,
        actor=actor,
        after=declaration_snapshot(declaration) | _children_summary(clean, boxes),
    )
    return declaration


@service
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
    with DECLARATION.step(actor, declaration, "update") as step:
        declaration = step.obj
        _check_use(actor, declaration.enterprise, vehicle, trailer)
        fields, clean, boxes = _clean_draft(
            vehicle=vehicle,
            trailer=trailer,
            driver=driver,
            gate=gate,
            flow=flow,
            direction=direction,
            planned_arrival=planned_arrival,
            lines=lines,
            containers=containers,
            two_way=two_way,
            note=note,
        )
        for key, value in fields.items():
            setattr(declaration, key, value)
        _write_children(declaration, clean, boxes)
        step.facts.update(_children_summary(clean, boxes))
    return declaration

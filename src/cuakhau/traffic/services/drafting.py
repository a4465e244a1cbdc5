"""Drafting a declaration: the direction its flow implies, who may declare for an enterprise, the
trip's vehicle, driver and gate, its goods lines and containers checked, and the draft written or
changed (a returned declaration goes back to draft)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import Problems, ServiceError
from cuakhau.core.permissions import CHANGE
from cuakhau.gates.models import Gate, GateMode
from cuakhau.parties.models import Driver, Enterprise, Vehicle
from cuakhau.parties.permissions import acting_for

from ..models import (
    FLOW_DIRECTION,
    Container,
    Declaration,
    Direction,
    Flow,
    GoodsLine,
)
from . import validation
from .common import S, actor_user, locked, snap, state_error

MAX_LINES = 50
MAX_CONTAINERS = 4


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
    """The agent acting, if any; refuses an inactive enterprise, or one the actor may not declare for."""
    if not isinstance(enterprise, Enterprise) or not enterprise.is_active:
        raise ServiceError(_("Cần chọn doanh nghiệp đang hoạt động."), field="enterprise")
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


def _check_use(actor, enterprise, vehicle, trailer) -> None:
    """An enterprise (or its customs agent) declares only the vehicles it may use: those with no owner
    on record (foreign trucks and hired vehicles, declared by the enterprise that hires them for the
    trip), its own, or those of an enterprise the actor acts for (its own enterprise, its clients under
    a valid mandate). A competitor's truck cannot be declared, so its owner is never blocked by the
    one-active-trip rule. The refusal names the plate, never the owner."""
    if actor is None or actor.is_superuser or getattr(actor, "role", "") == "admin":
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


def clean_lines(lines: list[dict]) -> list[dict]:
    """Every goods line checked, and every error of every line reported together (field
    `lines.<n>.<name>`, n from 1)."""
    if not lines:
        raise ServiceError(_("Tờ khai cần ít nhất một dòng hàng."), field="lines")
    if len(lines) > MAX_LINES:
        raise ServiceError(_("Tối đa %(n)s dòng hàng mỗi tờ khai.") % {"n": MAX_LINES}, field="lines")
    problems = Problems()
    cleaned = []
    for i, line in enumerate(lines, start=1):
        prefix = f"lines.{i}."
        description = " ".join(str(line.get("description") or "").split())
        if not description:
            problems.add(_("Dòng hàng %(i)s: cần mô tả hàng hóa.") % {"i": i}, field=prefix + "description")
        unit = str(line.get("unit") or "").strip()
        if not unit:
            problems.add(_("Dòng hàng %(i)s: cần đơn vị tính.") % {"i": i}, field=prefix + "unit")
        cur = problems.run(validation.currency, line.get("currency"), field=prefix + "currency")
        value = problems.run(
            validation.decimal_value,
            line.get("value"),
            field=prefix + "value",
            label=_("Trị giá"),
            positive=False,
            places=2,
        )
        value_vnd = line.get("value_vnd")
        if cur == "VND":
            value_vnd = int(value) if value is not None else None
        elif value_vnd not in (None, ""):
            value_vnd = problems.run(
                validation.decimal_value,
                value_vnd,
                field=prefix + "value_vnd",
                label=_("Trị giá quy ra đồng"),
                positive=False,
                places=0,
            )
            value_vnd = int(value_vnd) if value_vnd is not None else None
        else:
            value_vnd = None
        cleaned.append(
            {
                "line_no": i,
                "hs_code": problems.run(validation.hs_code, line.get("hs_code"), field=prefix + "hs_code"),
                "description": description[:255],
                "quantity": problems.run(
                    validation.decimal_value,
                    line.get("quantity"),
                    field=prefix + "quantity",
                    label=_("Số lượng"),
                ),
                "unit": unit[:16],
                "gross_kg": problems.run(
                    validation.decimal_value,
                    line.get("gross_kg"),
                    field=prefix + "gross_kg",
                    label=_("Trọng lượng (kg)"),
                    places=2,
                ),
                "value": value,
                "currency": cur,
                "value_vnd": value_vnd,
            }
        )
    problems.raise_if_any()
    return cleaned


def clean_containers(containers: list[dict]) -> list[dict]:
    """Every container checked (ISO 6346 number, size, declared once), all errors together (field
    `containers.<n>.<name>`)."""
    if len(containers) > MAX_CONTAINERS:
        raise ServiceError(_("Tối đa %(n)s container mỗi xe.") % {"n": MAX_CONTAINERS}, field="containers")
    problems = Problems()
    cleaned, seen = [], set()
    for i, item in enumerate(containers, start=1):
        number = problems.run(validation.container_number, item.get("number"), field=f"containers.{i}.number")
        if number is not None and number in seen:
            problems.add(_("Container %(n)s khai hai lần.") % {"n": number}, field=f"containers.{i}.number")
        seen.add(number)
        size = problems.run(validation.container_size, item.get("size"), field=f"containers.{i}.size")
        cleaned.append({"number": number, "size": size})
    problems.raise_if_any()
    return cleaned


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
    declaration = Declaration.objects.create(
        enterprise=enterprise,
        agent=agent,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    _write_children(declaration, clean, boxes)
    audit_record(
        action="declaration.create",
        obj=declaration,
        actor=actor_user(actor),
        after=snap(declaration) | _children_summary(clean, boxes),
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
    declaration = locked(declaration, actor, CHANGE)
    if declaration.status not in (S.DRAFT, S.RETURNED):
        raise state_error(declaration, _("sửa"), (S.DRAFT, S.RETURNED))
    _check_use(actor, declaration.enterprise, vehicle, trailer)
    before = snap(declaration)
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
    declaration.status = S.DRAFT
    declaration.save()
    _write_children(declaration, clean, boxes)
    audit_record(
        action="declaration.update",
        obj=declaration,
        before=before,
        actor=actor_user(actor),
        after=snap(declaration) | _children_summary(clean, boxes),
    )
    return declaration

"""Writes to the gates register. Each function is one transaction with one audit event."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TypedDict, Unpack

from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.permissions import ADD, CHANGE, may_add
from cuakhau.core.service import service

from .models import Gate

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


class GateFields(TypedDict, total=False):
    """The register's fields a department may set (the keyword arguments of gate_create/update)."""

    code: str
    name: str
    name_en: str
    name_zh: str
    kind: str
    mode: str
    paired_gate_cn: str
    landmarks: str
    parent: Gate | None
    daily_vehicles: int | None
    notes: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_active: bool
    sort_order: int


EDITABLE_FIELDS = [
    "code",
    "name",
    "name_en",
    "name_zh",
    "kind",
    "mode",
    "paired_gate_cn",
    "landmarks",
    "parent",
    "daily_vehicles",
    "notes",
    "latitude",
    "longitude",
    "is_active",
    "sort_order",
]


def _validate(gate: Gate) -> None:
    if not CODE_RE.match(gate.code or ""):
        raise ServiceError(
            _(
                "Mã cửa khẩu chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch dưới, 2–40 ký tự, bắt đầu bằng chữ."
            ),
            field="code",
        )
    if gate.parent_id and gate.pk and gate.parent_id == gate.pk:
        raise ServiceError(_("Cửa khẩu không thể thuộc chính nó."), field="parent")
    if gate.parent_id and gate.parent is not None and gate.parent.parent_id:
        raise ServiceError(_("Chỉ được gắn vào một cửa khẩu cấp trên, không lồng nhiều cấp."), field="parent")
    if gate.latitude is not None and not (-90 <= gate.latitude <= 90):
        raise ServiceError(_("Vĩ độ phải trong khoảng -90 đến 90."), field="latitude")
    if gate.longitude is not None and not (-180 <= gate.longitude <= 180):
        raise ServiceError(_("Kinh độ phải trong khoảng -180 đến 180."), field="longitude")
    duplicate = Gate.objects.filter(code=gate.code).exclude(pk=gate.pk).exists()
    if duplicate:
        raise ServiceError(_("Mã cửa khẩu %(code)s đã tồn tại.") % {"code": gate.code}, field="code")
    gate.full_clean(validate_unique=False)


def _require(actor: User | None, action: str, gate: Gate | None = None) -> None:
    """The Board's departments keep the register (the gates' scope); None is the reference loader."""
    if actor is None:
        return
    allowed = (
        may_add(actor, Gate)
        if gate is None
        else Gate.objects.for_user(actor, action).filter(pk=gate.pk).exists()
    )
    if not allowed:
        raise ServiceError(_("Bạn không có quyền sửa danh mục cửa khẩu."), code="forbidden", status=403)


@service
def gate_create(*, actor: User | None, units: list[Unit] | None = None, **fields: Unpack[GateFields]) -> Gate:
    _require(actor, ADD)
    gate = Gate(**{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    _validate(gate)
    gate.save()
    if units is not None:
        gate.units.set(units)
    audit_record(
        action="gates.gate.create",
        obj=gate,
        after=snapshot(gate) | {"units": [u.code for u in units or []]},
        actor=actor,
    )
    return gate


@service
def gate_update(
    *, actor: User | None, gate: Gate, units: list[Unit] | None = None, **fields: Unpack[GateFields]
) -> Gate:
    _require(actor, CHANGE, gate)
    gate = Gate.objects.select_for_update().get(pk=gate.pk)
    before = snapshot(gate) | {"units": sorted(gate.units.values_list("code", flat=True))}
    for key, value in fields.items():
        if key in EDITABLE_FIELDS:
            setattr(gate, key, value)
    _validate(gate)
    gate.save()
    if units is not None:
        gate.units.set(units)
    after = snapshot(gate) | {"units": sorted(gate.units.values_list("code", flat=True))}
    if before != after:
        audit_record(action="gates.gate.update", obj=gate, before=before, after=after, actor=actor)
    return gate

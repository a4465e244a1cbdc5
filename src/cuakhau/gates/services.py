"""Writes to the gates register. Each function is one transaction with one audit event."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit

from .models import Gate

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
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
    if gate.parent_id and gate.parent.parent_id:
        raise ServiceError(_("Chỉ được gắn vào một cửa khẩu cấp trên, không lồng nhiều cấp."), field="parent")
    if gate.latitude is not None and not (-90 <= gate.latitude <= 90):
        raise ServiceError(_("Vĩ độ phải trong khoảng -90 đến 90."), field="latitude")
    if gate.longitude is not None and not (-180 <= gate.longitude <= 180):
        raise ServiceError(_("Kinh độ phải trong khoảng -180 đến 180."), field="longitude")
    duplicate = Gate.objects.filter(code=gate.code).exclude(pk=gate.pk).exists()
    if duplicate:
        raise ServiceError(_("Mã cửa khẩu %(code)s đã tồn tại.") % {"code": gate.code}, field="code")
    gate.full_clean(validate_unique=False)


@transaction.atomic
def gate_create(*, data: dict[str, Any], units: list[Unit] | None = None) -> Gate:
    gate = Gate(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    _validate(gate)
    gate.save()
    if units is not None:
        gate.units.set(units)
    audit_record(
        action="gate.create", obj=gate, after=snapshot(gate) | {"units": [u.code for u in units or []]}
    )
    return gate


@transaction.atomic
def gate_update(*, gate: Gate, data: dict[str, Any], units: list[Unit] | None = None) -> Gate:
    gate = Gate.objects.select_for_update().get(pk=gate.pk)
    before = snapshot(gate) | {"units": sorted(gate.units.values_list("code", flat=True))}
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(gate, key, value)
    _validate(gate)
    gate.save()
    if units is not None:
        gate.units.set(units)
    after = snapshot(gate) | {"units": sorted(gate.units.values_list("code", flat=True))}
    if before != after:
        audit_record(action="gate.update", obj=gate, before=before, after=after)
    return gate

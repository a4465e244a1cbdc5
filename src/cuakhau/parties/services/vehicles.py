"""Vehicles and trailers, one registration a plate."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service

from .. import actions, permissions
from ..models import TRAILER_KINDS, Enterprise, Vehicle, VehicleKind
from ..plates import parse_plate
from ..validation import UNCHANGED, check_owner, clean_plate, clean_tonnage, snap

VEHICLE_FIELDS = ["plate", "kind", "tonnage", "owner", "is_active"]


def _apply_vehicle(vehicle: Vehicle, *, plate: str | None, tonnage: Any) -> None:
    if tonnage is not UNCHANGED:
        vehicle.tonnage = clean_tonnage(tonnage)
    if plate is not UNCHANGED:
        parsed = clean_plate(plate)
        vehicle.plate = parsed.display
        vehicle.plate_key = parsed.key
        vehicle.country = parsed.country
    if vehicle.kind not in VehicleKind.values:
        raise ServiceError(_("Loại phương tiện không hợp lệ."), field="kind")
    is_trailer_plate = parse_plate(vehicle.plate).is_trailer
    vehicle.is_trailer = vehicle.kind in TRAILER_KINDS
    if vehicle.is_trailer and not is_trailer_plate:
        raise ServiceError(
            _(
                "Rơ moóc và sơ mi rơ moóc mang biển sê-ri R (ví dụ 12R-001.23) hoặc biển 挂 của Trung Quốc; "
                "biển %(plate)s là biển xe cơ giới."
            )
            % {"plate": vehicle.plate},
            field="kind",
        )
    if is_trailer_plate and not vehicle.is_trailer:
        raise ServiceError(
            _("Biển %(plate)s là biển rơ moóc: chọn loại rơ moóc hoặc sơ mi rơ moóc.")
            % {"plate": vehicle.plate},
            field="kind",
        )
    duplicate = Vehicle.objects.filter(plate_key=vehicle.plate_key).exclude(pk=vehicle.pk).exists()
    if duplicate:
        raise ServiceError(_("Biển số %(plate)s đã được đăng ký.") % {"plate": vehicle.plate}, field="plate")


def _save(vehicle: Vehicle) -> None:
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError as exc:  # a concurrent registration of the same plate
        raise ServiceError(
            _("Biển số %(plate)s đã được đăng ký.") % {"plate": vehicle.plate}, field="plate"
        ) from exc


@service
def vehicle_register(
    *,
    actor: User | None,
    plate: str,
    kind: str,
    tonnage: Any = None,
    owner: Enterprise | None = None,
    is_active: bool = True,
) -> Vehicle:
    """Register a vehicle or trailer. Its plate is normalised (plates.py) so that 12C-123.45, 12C12345
    and a camera's 12C12345 are one vehicle; a plate is registered once."""
    if actor is not None and not permissions.may_register(actor, Vehicle):
        raise permissions.refused(_("Vai trò của bạn không được đăng ký phương tiện."))
    check_owner(actor, owner, "owner")
    vehicle = Vehicle(kind=kind, owner=owner, is_active=is_active)
    _apply_vehicle(vehicle, plate=plate, tonnage=tonnage)
    _save(vehicle)
    audit_record(action=actions.VEHICLE_REGISTER, obj=vehicle, after=snap(vehicle), actor=actor)
    return vehicle


@service
def vehicle_update(
    *,
    actor: User | None,
    vehicle: Vehicle,
    plate: str = UNCHANGED,
    kind: str = UNCHANGED,
    tonnage: Any = UNCHANGED,
    owner: Enterprise | None = UNCHANGED,
    is_active: bool = UNCHANGED,
) -> Vehicle:
    """Change a vehicle's record; a field not given stays as it is."""
    if actor is not None and not permissions.may_change(actor, vehicle):
        raise permissions.refused(_("Bạn không có quyền sửa thông tin phương tiện này."))
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = snap(vehicle)
    if owner is not UNCHANGED and (owner.pk if owner else None) != vehicle.owner_id:
        check_owner(actor, owner, "owner")
        vehicle.owner = owner
    if kind is not UNCHANGED:
        vehicle.kind = kind
    if is_active is not UNCHANGED:
        vehicle.is_active = is_active
    _apply_vehicle(vehicle, plate=plate, tonnage=tonnage)
    _save(vehicle)
    after = snap(vehicle)
    if before != after:
        audit_record(action=actions.VEHICLE_UPDATE, obj=vehicle, before=before, after=after, actor=actor)
    return vehicle

"""Vehicles and trailers, one registration a plate."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError

from ..models import TRAILER_KINDS, Enterprise, Vehicle, VehicleKind
from ..plates import parse_plate
from .validation import clean_plate, clean_tonnage, snap

VEHICLE_FIELDS = ["plate", "kind", "tonnage", "owner", "is_active"]


def _apply_vehicle(vehicle: Vehicle, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in VEHICLE_FIELDS and key not in ("plate", "tonnage"):
            setattr(vehicle, key, value)
    if "tonnage" in data:
        vehicle.tonnage = clean_tonnage(data["tonnage"])
    if "plate" in data:
        plate = clean_plate(data["plate"])
        vehicle.plate = plate.display
        vehicle.plate_key = plate.key
        vehicle.country = plate.country
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


@transaction.atomic
def vehicle_register(
    *, plate: str, kind: str, tonnage: Any = None, owner: Enterprise | None = None, is_active: bool = True
) -> Vehicle:
    """Register a vehicle or trailer. Its plate is normalised (plates.py) so that 12C-123.45, 12C12345
    and a camera's 12C12345 are one vehicle; a plate is registered once."""
    vehicle = Vehicle(kind=kind, owner=owner, is_active=is_active)
    _apply_vehicle(vehicle, {"plate": plate, "tonnage": tonnage})
    _save(vehicle)
    audit_record(action="vehicle.register", obj=vehicle, after=snap(vehicle))
    return vehicle


@transaction.atomic
def vehicle_update(*, vehicle: Vehicle, data: dict[str, Any]) -> Vehicle:
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = snap(vehicle)
    _apply_vehicle(vehicle, data)
    _save(vehicle)
    after = snap(vehicle)
    if before != after:
        audit_record(action="vehicle.update", obj=vehicle, before=before, after=after)
    return vehicle

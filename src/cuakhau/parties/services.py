"""Writes to the parties register. Each function is one transaction with one audit event; bad input
raises ServiceError naming the field, and nothing is changed.

A driver's identity document number never enters the audit log: events carry the masked form and
whether it changed."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric
from stdnum.vn import mst

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import Role, UnitKind

from . import permissions
from .countries import country_codes
from .models import TRAILER_KINDS, AgencyMandate, Driver, Enterprise, IdKind, Vehicle, VehicleKind
from .plates import PlateError, parse_plate

ENTERPRISE_FIELDS = [
    "name",
    "name_en",
    "name_zh",
    "address",
    "phone",
    "email",
    "is_customs_agent",
    "is_active",
]
VEHICLE_FIELDS = ["plate", "kind", "tonnage", "owner", "is_active"]
DRIVER_FIELDS = ["full_name", "id_kind", "id_number", "nationality", "phone", "user", "employer", "is_active"]
DRIVER_AUDIT_FIELDS = ["full_name", "id_kind", "nationality", "phone", "user", "employer", "is_active"]
MAX_TONNAGE = Decimal("200")

_PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-()]{6,18}$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,9}$")


def _snap(obj) -> dict[str, Any]:
    # updated_at changes on every save; leaving it out lets "nothing changed" write no event.
    data = snapshot(obj)
    data.pop("updated_at", None)
    return data


# --- validation helpers ---------------------------------------------------------------------------


def normalise_tax_code(raw: str, *, field: str = "tax_code") -> str:
    """The tax code as stdnum formats it (0100233488, 0314409058-002), or ServiceError saying why."""
    raw = (raw or "").strip()
    if not raw:
        raise ServiceError(_("Mã số thuế không được để trống."), field=field)
    try:
        return mst.format(mst.validate(raw))
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ServiceError(
            _("Mã số thuế %(code)s sai chữ số kiểm tra (chữ số thứ 10).") % {"code": raw}, field=field
        ) from exc
    except stdnum_exceptions.InvalidComponent as exc:
        raise ServiceError(
            _("Mã số thuế %(code)s: mã đơn vị phụ thuộc (3 số cuối) phải từ 001 đến 999.") % {"code": raw},
            field=field,
        ) from exc
    except stdnum_exceptions.InvalidLength as exc:
        raise ServiceError(
            _(
                "Mã số thuế %(code)s phải có 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số của đơn vị "
                "phụ thuộc (ví dụ 0314409058-002)."
            )
            % {"code": raw},
            field=field,
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ServiceError(_("Mã số thuế %(code)s không hợp lệ.") % {"code": raw}, field=field) from exc


def _phone(value: str, field: str = "phone") -> str:
    value = (value or "").strip()
    if value and not _PHONE_RE.match(value):
        raise ServiceError(
            _(
                "Số điện thoại %(phone)s không hợp lệ: 7–15 chữ số, có thể bắt đầu bằng + (ví dụ 0205 3851 234, "
                "+86 771 123 4567)."
            )
            % {"phone": value},
            field=field,
        )
    return value


def _plate(raw: str, field: str = "plate"):
    try:
        return parse_plate(raw)
    except PlateError as exc:
        raise ServiceError(exc.message, field=field) from exc


def _tonnage(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        tonnage = Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise ServiceError(_("Tải trọng phải là một số (tấn)."), field="tonnage") from exc
    if not tonnage.is_finite() or tonnage < 0 or tonnage > MAX_TONNAGE:
        raise ServiceError(_("Tải trọng phải từ 0 đến %(max)s tấn.") % {"max": MAX_TONNAGE}, field="tonnage")
    return tonnage.quantize(Decimal("0.01"))


# --- enterprises -----------------------------------------------------------------------------------


def _validate_enterprise(enterprise: Enterprise) -> None:
    if not (enterprise.name or "").strip():
        raise ServiceError(_("Tên doanh nghiệp không được để trống."), field="name")
    enterprise.name = enterprise.name.strip()
    enterprise.phone = _phone(enterprise.phone)
    if enterprise.email:
        try:
            validate_email(enterprise.email)
        except ValidationError as exc:
            raise ServiceError(
                _("Địa chỉ thư điện tử %(email)s không hợp lệ.") % {"email": enterprise.email}, field="email"
            ) from exc
    if Enterprise.objects.filter(tax_code=enterprise.tax_code).exclude(pk=enterprise.pk).exists():
        raise ServiceError(
            _("Doanh nghiệp có mã số thuế %(code)s đã được đăng ký.") % {"code": enterprise.tax_code},
            field="tax_code",
        )


def _unit_code(tax_code: str) -> str:
    return f"dn-{tax_code}"


@transaction.atomic
def enterprise_register(*, tax_code: str, name: str, unit: Unit | None = None, **data: Any) -> Enterprise:
    """Register an enterprise. Its tax code is checked as the Law on Tax Administration 2019 (art. 30)
    and Circular 105/2020/TT-BTC (art. 5) define it: 10 digits with a check digit, and for a dependent
    unit (branch) a 3-digit suffix 001-999. Without `unit`, a core.Unit of kind enterprise is created
    for it, so that its users are scoped by it."""
    tax_code = normalise_tax_code(tax_code)
    enterprise = Enterprise(
        tax_code=tax_code, name=name, **{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS}
    )
    _validate_enterprise(enterprise)
    if unit is None:
        code = _unit_code(tax_code)
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit.objects.create(
                code=code,
                name=enterprise.name,
                name_en=enterprise.name_en,
                kind=UnitKind.ENTERPRISE,
                tax_code=mst.compact(tax_code),
            )
    if unit.kind != UnitKind.ENTERPRISE:
        raise ServiceError(
            _("Đơn vị %(unit)s không phải đơn vị loại doanh nghiệp.") % {"unit": unit.name}, field="unit"
        )
    if Enterprise.objects.filter(unit=unit).exists():
        raise ServiceError(
            _("Đơn vị %(unit)s đã gắn với một doanh nghiệp khác.") % {"unit": unit.name}, field="unit"
        )
    enterprise.unit = unit
    enterprise.full_clean(validate_unique=False, validate_constraints=False)
    enterprise.save()
    audit_record(
        action="enterprise.register", obj=enterprise, after=_snap(enterprise) | {"unit_code": unit.code}
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Change an enterprise's record; a new tax code is checked as at registration. The unit's name
    and tax code follow the enterprise's."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = _snap(enterprise)
    if "tax_code" in data:
        enterprise.tax_code = normalise_tax_code(data["tax_code"])
    for key, value in data.items():
        if key in ENTERPRISE_FIELDS:
            setattr(enterprise, key, value)
    _validate_enterprise(enterprise)
    if not enterprise.is_customs_agent and before["is_customs_agent"]:
        if enterprise.mandates_as_agent.filter(permissions.valid_mandate_q(timezone.localdate())).exists():
            raise ServiceError(
                _(
                    "Doanh nghiệp còn hợp đồng đại lý đang hiệu lực; hãy chấm dứt trước khi bỏ "
                    "tư cách đại lý hải quan."
                ),
                field="is_customs_agent",
            )
    enterprise.full_clean(validate_unique=False, validate_constraints=False)
    enterprise.save()
    Unit.objects.filter(pk=enterprise.unit_id).update(
        name=enterprise.name, name_en=enterprise.name_en, tax_code=mst.compact(enterprise.tax_code)
    )
    after = _snap(enterprise)
    if before != after:
        audit_record(action="enterprise.update", obj=enterprise, before=before, after=after)
    return enterprise


# --- customs-agency mandates ---------------------------------------------------------------------


@transaction.atomic
def mandate_grant(
    *,
    agent: Enterprise,
    client: Enterprise,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    reference: str = "",
) -> AgencyMandate:
    """A client enterprise appoints a customs agent (Law on Customs 2014, art. 20-22; Decree
    08/2015/ND-CP, art. 14). The agent must be registered as one; the same pair may not hold two
    mandates whose periods overlap."""
    if not agent.is_customs_agent:
        raise ServiceError(
            _("%(name)s chưa được đăng ký là đại lý hải quan.") % {"name": agent.name}, field="agent"
        )
    if agent.pk == client.pk:
        raise ServiceError(_("Doanh nghiệp không thể làm đại lý cho chính mình."), field="client")
    if valid_from is None:
        raise ServiceError(_("Ngày bắt đầu hiệu lực không được để trống."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(_("Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi."), field="valid_to")
    # Lock the client's row: two concurrent grants for one client are serialised here.
    Enterprise.objects.select_for_update().filter(pk=client.pk).first()
    overlapping = AgencyMandate.objects.filter(agent=agent, client=client, revoked_at__isnull=True).exclude(
        valid_to__lt=valid_from
    )
    if valid_to is not None:
        overlapping = overlapping.exclude(valid_from__gt=valid_to)
    if overlapping.exists():
        raise ServiceError(
            _("Đã có hợp đồng đại lý giữa hai doanh nghiệp này trong thời gian đó."), field="valid_from"
        )
    mandate = AgencyMandate.objects.create(
        agent=agent,
        client=client,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=(reference or "").strip(),
    )
    audit_record(action="mandate.grant", obj=mandate, after=_snap(mandate))
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: AgencyMandate, reason: str) -> AgencyMandate:
    """End a mandate now; from this moment the agent no longer sees or acts for the client."""
    mandate = AgencyMandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.revoked_at is not None:
        raise ServiceError(_("Hợp đồng đại lý này đã chấm dứt."), field="")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Cần ghi lý do chấm dứt."), field="reason")
    before = _snap(mandate)
    mandate.revoked_at = timezone.now()
    mandate.revoke_reason = reason[:255]
    mandate.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(action="mandate.revoke", obj=mandate, before=before, after=_snap(mandate))
    return mandate


# --- vehicles ------------------------------------------------------------------------------------


def _apply_vehicle(vehicle: Vehicle, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in VEHICLE_FIELDS and key not in ("plate", "tonnage"):
            setattr(vehicle, key, value)
    if "tonnage" in data:
        vehicle.tonnage = _tonnage(data["tonnage"])
    if "plate" in data:
        plate = _plate(data["plate"])
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


@transaction.atomic
def vehicle_register(
    *, plate: str, kind: str, tonnage: Any = None, owner: Enterprise | None = None, is_active: bool = True
) -> Vehicle:
    """Register a vehicle or trailer. Its plate is normalised (plates.py) so that 12C-123.45, 12C12345
    and a camera's 12C12345 are one vehicle; a plate is registered once."""
    vehicle = Vehicle(kind=kind, owner=owner, is_active=is_active)
    _apply_vehicle(vehicle, {"plate": plate, "tonnage": tonnage})
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError as exc:  # a concurrent registration of the same plate
        raise ServiceError(
            _("Biển số %(plate)s đã được đăng ký.") % {"plate": vehicle.plate}, field="plate"
        ) from exc
    audit_record(action="vehicle.register", obj=vehicle, after=_snap(vehicle))
    return vehicle


@transaction.atomic
def vehicle_update(*, vehicle: Vehicle, data: dict[str, Any]) -> Vehicle:
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = _snap(vehicle)
    _apply_vehicle(vehicle, data)
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("Biển số %(plate)s đã được đăng ký.") % {"plate": vehicle.plate}, field="plate"
        ) from exc
    after = _snap(vehicle)
    if before != after:
        audit_record(action="vehicle.update", obj=vehicle, before=before, after=after)
    return vehicle


# --- drivers ---------------------------------------------------------------------------------------


def _normalise_id(id_kind: str, id_number: str, nationality: str) -> tuple[str, str]:
    """The document number in its canonical form, checked for its kind; the nationality it implies."""
    number = re.sub(r"[\s.\-]", "", id_number or "").upper()
    if not number:
        raise ServiceError(_("Số giấy tờ không được để trống."), field="id_number")
    if id_kind == IdKind.CCCD:
        # Decree 137/2015 and the Law on Identification 2023: 12 digits; the first three are the
        # province of birth registration (001-096).
        if not re.fullmatch(r"\d{12}", number) or not 1 <= int(number[:3]) <= 96:
            raise ServiceError(
                _("Số căn cước Việt Nam gồm 12 chữ số, 3 số đầu là mã tỉnh (001–096)."), field="id_number"
            )
        if nationality and nationality != "VN":
            raise ServiceError(
                _("Căn cước Việt Nam chỉ cấp cho công dân Việt Nam (quốc tịch VN)."), field="nationality"
            )
        return number, "VN"
    if id_kind == IdKind.CN_ID:
        try:
            number = ric.validate(number)
        except stdnum_exceptions.ValidationError as exc:
            raise ServiceError(
                _(
                    "Số căn cước Trung Quốc gồm 18 ký tự (17 chữ số và chữ số kiểm tra 0–9 hoặc X), "
                    "có ngày sinh hợp lệ; số đã nhập không đúng."
                ),
                field="id_number",
            ) from exc
        if nationality and nationality != "CN":
            raise ServiceError(
                _("Căn cước Trung Quốc chỉ cấp cho công dân Trung Quốc (quốc tịch CN)."), field="nationality"
            )
        return number, "CN"
    if id_kind == IdKind.PASSPORT:
        if not _PASSPORT_RE.match(number):
            raise ServiceError(
                _("Số hộ chiếu gồm 6–9 chữ cái in hoa hoặc chữ số (ví dụ C1234567, E12345678)."),
                field="id_number",
            )
        if not nationality:
            raise ServiceError(_("Cần chọn quốc tịch của người mang hộ chiếu."), field="nationality")
        return number, nationality
    raise ServiceError(_("Loại giấy tờ không hợp lệ."), field="id_kind")


def _driver_audit(driver: Driver) -> dict[str, Any]:
    return snapshot(driver, DRIVER_AUDIT_FIELDS) | {"id_number_masked": driver.masked_id}


def _validate_driver(driver: Driver) -> None:
    driver.full_name = " ".join((driver.full_name or "").split())
    if not driver.full_name:
        raise ServiceError(_("Họ và tên không được để trống."), field="full_name")
    driver.nationality = (driver.nationality or "").strip().upper()
    if driver.nationality and driver.nationality not in country_codes():
        raise ServiceError(
            _("Quốc tịch %(code)s không phải mã quốc gia ISO 3166 (ví dụ VN, CN).")
            % {"code": driver.nationality},
            field="nationality",
        )
    driver.id_number, driver.nationality = _normalise_id(driver.id_kind, driver.id_number, driver.nationality)
    driver.phone = _phone(driver.phone)
    if driver.user_id is not None:
        user = User.objects.get(pk=driver.user_id)
        if user.role != Role.DRIVER:
            raise ServiceError(_("Chỉ gắn được tài khoản có vai trò lái xe."), field="user")
        if Driver.objects.filter(user_id=driver.user_id).exclude(pk=driver.pk).exists():
            raise ServiceError(
                _("Tài khoản %(u)s đã gắn với một lái xe khác.") % {"u": user.username}, field="user"
            )
    duplicate = Driver.objects.filter(
        id_kind=driver.id_kind, nationality=driver.nationality, id_number=driver.id_number
    ).exclude(pk=driver.pk)
    if duplicate.exists():
        # The number is not repeated in the message: messages end up in logs.
        raise ServiceError(_("Giấy tờ này đã được đăng ký cho một lái xe khác."), field="id_number")


@transaction.atomic
def driver_register(
    *,
    full_name: str,
    id_kind: str,
    id_number: str,
    nationality: str = "",
    phone: str = "",
    user: User | None = None,
    employer: Enterprise | None = None,
    is_active: bool = True,
) -> Driver:
    """Register a driver. The identity document is checked for its kind (12-digit CCCD, Chinese
    resident ID with its check digit, passport); one document, one driver."""
    driver = Driver(
        full_name=full_name,
        id_kind=id_kind,
        id_number=id_number,
        nationality=nationality,
        phone=phone,
        user=user,
        employer=employer,
        is_active=is_active,
    )
    _validate_driver(driver)
    try:
        with transaction.atomic():
            driver.save()
    except IntegrityError as exc:
        raise ServiceError(_("Giấy tờ này đã được đăng ký cho một lái xe khác."), field="id_number") from exc
    audit_record(action="driver.register", obj=driver, after=_driver_audit(driver))
    return driver


@transaction.atomic
def driver_update(*, driver: Driver, data: dict[str, Any]) -> Driver:
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    before = _driver_audit(driver)
    old_number = driver.id_number
    for key, value in data.items():
        if key in DRIVER_FIELDS:
            setattr(driver, key, value)
    _validate_driver(driver)
    try:
        with transaction.atomic():
            driver.save()
    except IntegrityError as exc:
        raise ServiceError(_("Giấy tờ này đã được đăng ký cho một lái xe khác."), field="id_number") from exc
    after = _driver_audit(driver)
    if driver.id_number != old_number:
        after["id_number_changed"] = True
    if before != after:
        audit_record(action="driver.update", obj=driver, before=before, after=after)
    return driver


@transaction.atomic
def driver_reveal_id(*, driver: Driver, actor: User) -> str:
    """The driver's full document number, for a user whose role needs it (permissions.may_reveal_id).
    Personal data (Decree 13/2023/ND-CP, art. 26-27): each reading is an audit event, which records
    who read whose number, never the number."""
    if not permissions.may_reveal_id(actor, driver):
        raise ServiceError(
            _("Vai trò của bạn không được xem đầy đủ số giấy tờ của lái xe."),
            field="",
            code="forbidden",
            status=403,
        )
    audit_record(
        action="driver.id_viewed",
        obj=driver,
        actor=actor,
        after={"id_kind": driver.id_kind, "id_number_masked": driver.masked_id},
    )
    return driver.id_number

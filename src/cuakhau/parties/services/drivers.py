"""Drivers. A driver's identity document number never enters the audit log: events carry the
masked form and whether it changed."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import Problems, ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service

from .. import actions, permissions
from ..countries import country_codes
from ..models import Driver, Enterprise, IdKind
from ..selectors import drivers_with_id_number
from ..validation import UNCHANGED, check_owner, clean_phone, snap

DRIVER_FIELDS = ["full_name", "id_kind", "id_number", "nationality", "phone", "user", "employer", "is_active"]
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,9}$")


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


def _check_account(driver: Driver) -> None:
    user = User.objects.get(pk=driver.user_id)
    if not permissions.may_drive(user):
        raise ServiceError(_("Chỉ gắn được tài khoản có vai trò lái xe."), field="user")
    if Driver.objects.filter(user_id=driver.user_id).exclude(pk=driver.pk).exists():
        raise ServiceError(
            _("Tài khoản %(u)s đã gắn với một lái xe khác.") % {"u": user.username}, field="user"
        )


def _validate_driver(driver: Driver) -> None:
    """Every field checked and every error raised together (name, nationality, document, phone,
    account), so that the form shows them all on one submit."""
    problems = Problems()
    driver.full_name = " ".join((driver.full_name or "").split())
    if not driver.full_name:
        problems.add(_("Họ và tên không được để trống."), field="full_name")
    driver.nationality = (driver.nationality or "").strip().upper()
    if driver.nationality and driver.nationality not in country_codes():
        problems.add(
            _("Quốc tịch %(code)s không phải mã quốc gia ISO 3166 (ví dụ VN, CN).")
            % {"code": driver.nationality},
            field="nationality",
        )
    try:
        driver.id_number, driver.nationality = _normalise_id(
            driver.id_kind, driver.id_number, driver.nationality
        )
        id_ok = True
    except ServiceError as exc:
        problems.merge(exc)
        id_ok = False
    phone = problems.run(clean_phone, driver.phone)
    if phone is not None:
        driver.phone = phone
    if driver.user_id is not None:
        problems.run(_check_account, driver)
    if id_ok:
        duplicate = drivers_with_id_number(
            Driver.objects.filter(id_kind=driver.id_kind, nationality=driver.nationality), driver.id_number
        ).exclude(pk=driver.pk)
        if duplicate.exists():
            # The number is not repeated in the message: messages end up in logs.
            problems.add(_("Giấy tờ này đã được đăng ký cho một lái xe khác."), field="id_number")
    problems.raise_if_any()


def _save(driver: Driver) -> None:
    try:
        with transaction.atomic():
            driver.save()
    except IntegrityError as exc:  # a concurrent registration of the same document
        raise ServiceError(_("Giấy tờ này đã được đăng ký cho một lái xe khác."), field="id_number") from exc


def _check_linking(actor: User | None, user: User | None) -> None:
    if actor is not None and not permissions.may_keep_register(actor):
        raise permissions.refused(_("Chỉ Ban Quản lý gắn được tài khoản cho lái xe."), field="user")


@service
def driver_register(
    *,
    actor: User | None,
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
    if actor is not None and not permissions.may_register(actor, Driver):
        raise permissions.refused(_("Vai trò của bạn không được đăng ký lái xe."))
    check_owner(actor, employer, "employer")
    if user is not None:
        _check_linking(actor, user)
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
    _save(driver)
    audit_record(action=actions.DRIVER_REGISTER, obj=driver, after=snap(driver), actor=actor)
    return driver


@service
def driver_update(
    *,
    actor: User | None,
    driver: Driver,
    full_name: str = UNCHANGED,
    id_kind: str = UNCHANGED,
    id_number: str = UNCHANGED,
    nationality: str = UNCHANGED,
    phone: str = UNCHANGED,
    user: User | None = UNCHANGED,
    employer: Enterprise | None = UNCHANGED,
    is_active: bool = UNCHANGED,
) -> Driver:
    """Change a driver's record; a field not given (the document number left blank on the page) stays
    as it is. Only the Board's register keepers link or unlink a driver's account."""
    if actor is not None and not permissions.may_change(actor, driver):
        raise permissions.refused(_("Bạn không có quyền sửa thông tin lái xe này."))
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    before = snap(driver)
    old_number = driver.id_number
    if employer is not UNCHANGED and (employer.pk if employer else None) != driver.employer_id:
        check_owner(actor, employer, "employer")
        driver.employer = employer
    if user is not UNCHANGED and (user.pk if user else None) != driver.user_id:
        _check_linking(actor, user)
        driver.user = user
    values = {
        "full_name": full_name,
        "id_kind": id_kind,
        "id_number": id_number,
        "nationality": nationality,
        "phone": phone,
        "is_active": is_active,
    }
    for key, value in values.items():
        if value is not UNCHANGED:
            setattr(driver, key, value)
    _validate_driver(driver)
    _save(driver)
    after = snap(driver)
    if driver.id_number != old_number:
        after["id_number_changed"] = True
    if before != after:
        audit_record(action=actions.DRIVER_UPDATE, obj=driver, before=before, after=after, actor=actor)
    return driver


@service
def driver_reveal_id(*, actor: User, driver: Driver) -> str:
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
        action=actions.DRIVER_REVEAL_ID,
        obj=driver,
        actor=actor,
        after={"id_kind": driver.id_kind, "id_number_masked": driver.masked_id},
    )
    return driver.id_number

"""Checks shared by the register's services (and by other apps: normalise_tax_code). Each raises
ServiceError naming the field and the rule. Also the register's one snapshot for audit events (`snap`)
and the marker of an input left as it is (`UNCHANGED`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.vn import mst

from cuakhau.core import l10n, numbers
from cuakhau.core.audit import snapshot
from cuakhau.core.errors import ServiceError

from . import permissions
from .plates import PlateError, parse_plate

MAX_TONNAGE = Decimal("200")

_PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-()]{6,18}$")


class _Unchanged:
    """An update's input that was not given: the stored value stays (None is a value: "no owner")."""

    def __repr__(self) -> str:
        return "UNCHANGED"

    def __bool__(self) -> bool:
        return False


UNCHANGED: Any = _Unchanged()

# A driver's identity document number never enters the audit log: events carry the masked form.
DRIVER_AUDIT_FIELDS = ["full_name", "id_kind", "nationality", "phone", "user", "employer", "is_active"]


def snap(obj) -> dict[str, Any]:
    """The audit snapshot of a register's record: core.audit.snapshot without updated_at (it changes on
    every save; leaving it out lets "nothing changed" write no event), and for a driver without the
    document number (its masked form instead)."""
    from .models import Driver

    if isinstance(obj, Driver):
        return snapshot(obj, DRIVER_AUDIT_FIELDS) | {"id_number_masked": obj.masked_id}
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


def clean_phone(value: str, field: str = "phone") -> str:
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


def clean_plate(raw: str, field: str = "plate"):
    try:
        return parse_plate(raw)
    except PlateError as exc:
        raise ServiceError(exc.message, field=field) from exc


def clean_tonnage(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        # A number as it is; text ("1,5" in Vietnamese) through the one reader in the active language.
        tonnage = numbers.to_number(value, label=_("Tải trọng (tấn)"))
    except numbers.NumberReadError as exc:
        raise ServiceError(exc.message, field="tonnage") from None
    if not tonnage.is_finite() or tonnage < 0 or tonnage > MAX_TONNAGE:
        raise ServiceError(
            _("Tải trọng phải từ 0 đến %(max)s tấn.") % {"max": l10n.format_number(MAX_TONNAGE)},
            field="tonnage",
        )
    return tonnage.quantize(Decimal("0.01"))


def check_owner(actor, owner, field: str) -> None:
    """A person names as owner (or employer) only an enterprise they may, and an enterprise user names
    one always. The system (actor None) names any."""
    if actor is None:
        return
    if owner is None:
        if not permissions.may_name_no_owner(actor):
            raise ServiceError(_("Cần chọn doanh nghiệp."), field=field)
        return
    if not permissions.may_name_owner(actor, owner):
        raise ServiceError(
            _("Không có doanh nghiệp mã số thuế %(code)s trong phạm vi của bạn.") % {"code": owner.tax_code},
            field=field,
        )

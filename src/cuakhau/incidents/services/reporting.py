"""Reports of incidents: by the public (no account) and by gate-centre staff."""

from __future__ import annotations

import datetime
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service
from cuakhau.gates.models import Gate

from .. import permissions
from ..actions import record_event, snap
from ..models import Incident, IncidentPhoto, Kind, Severity, Source
from ..photos import CleanPhoto, clean_photo
from ..tracking import new_tracking_code
from ..validation import active_gate, choice, yard_at_gate

_PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-()]{6,18}$")
# Mainland Việt Nam with its islands, a little wide; the gate areas sit well inside.
VN_LAT = (Decimal("8.0"), Decimal("23.5"))
VN_LON = (Decimal("102.0"), Decimal("110.0"))
MIN_DESCRIPTION = 10


def _coordinate(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    label = _("Vĩ độ") if field == "latitude" else _("Kinh độ")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ServiceError(
            _("%(label)s phải là một số thập phân (độ).") % {"label": label}, field=field
        ) from exc
    bound = Decimal(90) if field == "latitude" else Decimal(180)
    if not number.is_finite() or not -bound <= number <= bound:
        raise ServiceError(
            _("%(label)s phải từ %(low)s đến %(high)s độ.")
            % {"label": label, "low": l10n.format_number(-bound), "high": l10n.format_number(bound)},
            field=field,
        )
    low, high = VN_LAT if field == "latitude" else VN_LON
    if not low <= number <= high:
        raise ServiceError(
            _("%(label)s %(value)s nằm ngoài lãnh thổ Việt Nam (từ %(low)s đến %(high)s độ).")
            % {
                "label": label,
                "value": l10n.format_number(number),
                "low": l10n.format_number(low),
                "high": l10n.format_number(high),
            },
            field=field,
        )
    return number.quantize(Decimal("0.000001"))


def _coordinates(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    lat = _coordinate(latitude, "latitude")
    lon = _coordinate(longitude, "longitude")
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        raise ServiceError(_("Cần ghi cả vĩ độ và kinh độ, hoặc bỏ trống cả hai."), field=missing)
    return lat, lon


def _description(text: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_DESCRIPTION:
        raise ServiceError(
            _("Nội dung phản ánh cần ít nhất %(n)s ký tự, mô tả sự việc.") % {"n": MIN_DESCRIPTION},
            field="description",
        )
    return text[:5000]


def _phone(value: str) -> str:
    value = (value or "").strip()
    if value and not _PHONE_RE.match(value):
        raise ServiceError(
            _("Số điện thoại %(phone)s không hợp lệ: 7–15 chữ số, có thể bắt đầu bằng +.") % {"phone": value},
            field="reporter_phone",
        )
    return value


def _occurred(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + datetime.timedelta(minutes=5):
        raise ServiceError(_("Thời điểm xảy ra không thể ở tương lai."), field="occurred_at")
    return value


def _new_code() -> str:
    for _attempt in range(10):
        code = new_tracking_code()
        if not Incident.objects.filter(tracking_code=code).exists():
            return code
    raise ServiceError(_("Không tạo được mã tra cứu; hãy thử lại."))


def _store_photo(incident: Incident, photo: CleanPhoto) -> IncidentPhoto:
    name = f"{secrets.token_hex(12)}.{photo.extension}"
    item = IncidentPhoto(
        incident=incident,
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
        size=len(photo.content),
        sha256=photo.sha256,
    )
    item.file.save(name, ContentFile(photo.content), save=False)
    item.save()
    return item


@service
def incident_report_public(
    *,
    actor: User | None,
    gate: Gate | None,
    kind: str,
    description: str,
    place: str = "",
    latitude: Any = None,
    longitude: Any = None,
    occurred_at: datetime.datetime | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photo=None,
) -> Incident:
    """A member of the public reports an incident at a gate area, without an account (the Law on
    Complaints and Denunciations does not apply to a report; the Board answers through the tracking
    code). Anyone may report, signed in or not; the report is anonymous: `actor` (None for a visitor)
    is not kept on the incident or its history, only in the audit event. The photo is checked and
    stripped of metadata before anything is stored."""
    clean = clean_photo(photo) if photo else None
    incident = _new_incident(
        source=Source.PUBLIC,
        actor=None,
        gate=gate,
        kind=kind,
        description=description,
        place=place,
        latitude=latitude,
        longitude=longitude,
        occurred_at=occurred_at,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
    )
    if clean is not None:
        _store_photo(incident, clean)
    record_event(incident, "report", "", None)
    audit_record(
        action="incidents.incident.report_public",
        obj=incident,
        after=snap(incident) | {"photos": int(clean is not None)},
        actor=actor,
    )
    return incident


@service
def incident_record(
    *,
    actor: User,
    gate: Gate | None,
    kind: str,
    description: str,
    severity: str = "",
    yard=None,
    place: str = "",
    latitude: Any = None,
    longitude: Any = None,
    occurred_at: datetime.datetime | None = None,
    photo=None,
) -> Incident:
    """Gate-centre staff (or the Board) record an incident they saw or were told of at one of their
    gates."""
    if not permissions.may_record(actor):
        raise ServiceError(_("Vai trò của bạn không ghi nhận được vụ việc."), status=403, code="forbidden")
    if gate is not None and not permissions.gates_for_reporting(actor).filter(pk=gate.pk).exists():
        raise ServiceError(
            _("Bạn chỉ ghi nhận được vụ việc tại cửa khẩu đơn vị mình phụ trách."), field="gate", status=403
        )
    clean = clean_photo(photo) if photo else None
    if severity:
        choice(severity, Severity, "severity", _("Mức độ không hợp lệ."))
    incident = _new_incident(
        source=Source.STAFF,
        actor=actor,
        gate=gate,
        kind=kind,
        description=description,
        place=place,
        latitude=latitude,
        longitude=longitude,
        occurred_at=occurred_at,
        severity=severity,
        yard=yard,
    )
    if clean is not None:
        _store_photo(incident, clean)
    record_event(incident, "report", "", actor)
    audit_record(action="incidents.incident.record", obj=incident, after=snap(incident), actor=actor)
    return incident


def _new_incident(
    *,
    source,
    actor,
    gate,
    kind,
    description,
    place,
    latitude,
    longitude,
    occurred_at,
    reporter_name="",
    reporter_phone="",
    severity="",
    yard=None,
) -> Incident:
    gate = active_gate(gate)
    kind = choice(kind, Kind, "kind", _("Loại vụ việc không hợp lệ."))
    lat, lon = _coordinates(latitude, longitude)
    incident = Incident(
        tracking_code=_new_code(),
        source=source,
        kind=kind,
        severity=severity,
        description=_description(description),
        gate=gate,
        yard=yard_at_gate(yard, gate),
        place=(place or "").strip()[:255],
        latitude=lat,
        longitude=lon,
        occurred_at=_occurred(occurred_at),
        reported_by=actor,
        reporter_name=(reporter_name or "").strip()[:150],
        reporter_phone=_phone(reporter_phone),
    )
    try:
        with transaction.atomic():
            incident.save()
    except IntegrityError as exc:  # the one-in-a-trillion tracking-code collision
        raise ServiceError(_("Không lưu được phản ánh; hãy gửi lại.")) from exc
    return incident

"""Writes to incidents. Each function is one transaction with one audit event; bad input or a step
the incident's state does not allow raises ServiceError naming the field, and nothing is changed.

The lifecycle (Decree 34/2014/ND-CP on border-area regulation and Decree 112/2014/ND-CP on land
border gates give the gate-area forces their tasks; the Management Board's gate centres coordinate
them at the gate):

    reported → triaged → handed → in_progress → resolved → closed
    reported | triaged → rejected (spam, duplicate, out of scope, unfounded)

A public report is anonymous to the system (no account); its contact details are personal data
(Decree 13/2023/ND-CP) and are kept out of the audit log."""

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
from django.utils.translation import gettext_lazy

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import UnitKind
from cuakhau.gates.models import Gate

from . import permissions
from .models import (
    AGENCY_FORCE,
    ForceKind,
    Incident,
    IncidentEvent,
    IncidentPhoto,
    Kind,
    RejectReason,
    Severity,
    Source,
    Status,
)
from .permissions import MANAGE, WORK
from .photos import CleanPhoto, clean_photo

# action -> (statuses it may start from, status it leads to, permission needed)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "triage": (frozenset({Status.REPORTED, Status.TRIAGED}), Status.TRIAGED, MANAGE),
    "hand": (frozenset({Status.TRIAGED, Status.HANDED}), Status.HANDED, MANAGE),
    "start": (frozenset({Status.HANDED}), Status.IN_PROGRESS, WORK),
    "resolve": (frozenset({Status.IN_PROGRESS}), Status.RESOLVED, WORK),
    "reopen": (frozenset({Status.RESOLVED}), Status.IN_PROGRESS, MANAGE),
    "close": (frozenset({Status.RESOLVED}), Status.CLOSED, MANAGE),
    "reject": (frozenset({Status.REPORTED, Status.TRIAGED}), Status.REJECTED, MANAGE),
}
ACTION_LABELS = {
    "triage": gettext_lazy("phân loại"),
    "hand": gettext_lazy("chuyển lực lượng chức năng"),
    "start": gettext_lazy("bắt đầu xử lý"),
    "resolve": gettext_lazy("ghi kết quả xử lý"),
    "reopen": gettext_lazy("mở lại"),
    "close": gettext_lazy("đóng"),
    "reject": gettext_lazy("không thụ lý"),
}

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-()]{6,18}$")
# Mainland Việt Nam with its islands, a little wide; the gate areas sit well inside.
VN_LAT = (Decimal("8.0"), Decimal("23.5"))
VN_LON = (Decimal("102.0"), Decimal("110.0"))
MIN_DESCRIPTION = 10
AUDIT_EXCLUDE = {"reporter_name", "reporter_phone", "updated_at"}


def _snap(incident: Incident) -> dict[str, Any]:
    data = {k: v for k, v in snapshot(incident).items() if k not in AUDIT_EXCLUDE}
    data["has_reporter_contact"] = bool(incident.reporter_name or incident.reporter_phone)
    return data


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"VV-{raw[:4]}-{raw[4:]}"


def normalise_tracking_code(raw: str) -> str:
    compact = re.sub(r"[^0-9A-Z]", "", (raw or "").upper())
    if compact.startswith("VV"):
        compact = compact[2:]
    compact = compact.replace("O", "0").replace("I", "1")
    if len(compact) != 8:
        return ""
    return f"VV-{compact[:4]}-{compact[4:]}"


# --- validation helpers ---------------------------------------------------------------------------


def _choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ServiceError(message, field=field)
    return value


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
            _("%(label)s phải từ %(low)s đến %(high)s độ.") % {"label": label, "low": -bound, "high": bound},
            field=field,
        )
    low, high = VN_LAT if field == "latitude" else VN_LON
    if not low <= number <= high:
        raise ServiceError(
            _("%(label)s %(value)s nằm ngoài lãnh thổ Việt Nam (từ %(low)s đến %(high)s độ).")
            % {"label": label, "value": number, "low": low, "high": high},
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


def _gate(gate: Gate | None) -> Gate:
    if gate is None or not gate.is_active:
        raise ServiceError(_("Cần chọn cửa khẩu đang hoạt động nơi xảy ra vụ việc."), field="gate")
    return gate


def _yard(yard, gate: Gate):
    if yard is not None and yard.gate_id != gate.pk:
        raise ServiceError(
            _("Bãi %(yard)s không thuộc %(gate)s.") % {"yard": yard.name, "gate": gate.name}, field="yard"
        )
    return yard


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


def _event(incident: Incident, action: str, before: str, actor: User | None, note: str = "") -> None:
    IncidentEvent.objects.create(
        incident=incident,
        action=action,
        from_status=before,
        to_status=incident.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=(note or "").strip()[:5000],
    )


# --- reporting ------------------------------------------------------------------------------------


@transaction.atomic
def incident_report_public(
    *,
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
    code). The photo is checked and stripped of metadata before anything is stored."""
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
    _event(incident, "report", "", None)
    audit_record(
        action="incident.report_public",
        obj=incident,
        after=_snap(incident) | {"photos": int(clean is not None)},
    )
    return incident


@transaction.atomic
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
    if gate is not None and not permissions.gates_for_reporting(actor).filter(pk=gate.pk).exists():
        raise ServiceError(
            _("Bạn chỉ ghi nhận được vụ việc tại cửa khẩu đơn vị mình phụ trách."), field="gate", status=403
        )
    clean = clean_photo(photo) if photo else None
    if severity:
        _choice(severity, Severity, "severity", _("Mức độ không hợp lệ."))
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
    _event(incident, "report", "", actor)
    audit_record(action="incident.record", obj=incident, after=_snap(incident), actor=actor)
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
    gate = _gate(gate)
    kind = _choice(kind, Kind, "kind", _("Loại vụ việc không hợp lệ."))
    lat, lon = _coordinates(latitude, longitude)
    incident = Incident(
        tracking_code=_new_code(),
        source=source,
        kind=kind,
        severity=severity,
        description=_description(description),
        gate=gate,
        yard=_yard(yard, gate),
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


# --- the lifecycle --------------------------------------------------------------------------------


def _begin(actor: User, incident: Incident, action: str) -> tuple[Incident, dict, str]:
    """Lock the incident, check the step is allowed from its state and for this user."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    sources, _target, permission = TRANSITIONS[action]
    if not permissions.allowed(actor, incident, permission):
        raise ServiceError(
            _("Bạn không có quyền %(action)s vụ việc %(code)s.")
            % {"action": ACTION_LABELS[action], "code": incident.tracking_code},
            field="",
            code="forbidden",
            status=403,
        )
    if incident.status not in sources:
        allowed_from = ", ".join(str(Status(s).label) for s in Status.values if s in sources)
        raise ServiceError(
            _("Không thể %(action)s vụ việc đang ở trạng thái “%(status)s”; chỉ được khi: %(allowed)s.")
            % {
                "action": ACTION_LABELS[action],
                "status": incident.get_status_display(),
                "allowed": allowed_from,
            },
            field="status",
            code="illegal_transition",
            status=409,
        )
    return incident, _snap(incident), incident.status


def _finish(actor: User, incident: Incident, action: str, before: dict, from_status: str, note: str = ""):
    incident.status = TRANSITIONS[action][1]
    incident.save()
    _event(incident, action, from_status, actor, note)
    audit_record(action=f"incident.{action}", obj=incident, before=before, after=_snap(incident), actor=actor)
    return incident


def actions_for(user: User, incident: Incident) -> list[str]:
    """The steps this user may take on this incident now (for the buttons on its page)."""
    names = []
    for action, (sources, _target, permission) in TRANSITIONS.items():
        if incident.status in sources and permissions.allowed(user, incident, permission):
            names.append(action)
    return names


@transaction.atomic
def incident_triage(
    *, actor: User, incident: Incident, kind: str, severity: str, gate: Gate | None, yard=None, note: str = ""
) -> Incident:
    """Confirm what happened (type), how serious it is and where (gate, yard)."""
    incident, before, from_status = _begin(actor, incident, "triage")
    incident.kind = _choice(kind, Kind, "kind", _("Loại vụ việc không hợp lệ."))
    incident.severity = _choice(severity or "", Severity, "severity", _("Cần chọn mức độ của vụ việc."))
    incident.gate = _gate(gate)
    incident.yard = _yard(yard, incident.gate)
    incident.gate_confirmed = True
    return _finish(actor, incident, "triage", before, from_status, note)


def force_units(incident: Incident, force_kind: str = ""):
    """The agency units working at the incident's gate, optionally of one force."""
    units = Unit.objects.filter(kind=UnitKind.AGENCY, is_active=True, gates=incident.gate_id)
    if force_kind:
        kinds = [agency for agency, force in AGENCY_FORCE.items() if force == force_kind]
        units = units.filter(agency_kind__in=kinds)
    return units.order_by("name")


@transaction.atomic
def incident_hand(
    *, actor: User, incident: Incident, force_kind: str, force_unit: Unit | None = None, note: str = ""
) -> Incident:
    """Hand the incident to the functional force whose task it is (border guard for order in the
    border-gate area, customs for smuggling, police, quarantine, environment). When that force has
    exactly one unit at the gate, the incident goes to that unit, whose officers then see it."""
    incident, before, from_status = _begin(actor, incident, "hand")
    force_kind = _choice(force_kind, ForceKind, "force_kind", _("Cần chọn lực lượng chức năng xử lý."))
    candidates = force_units(incident, force_kind)
    if force_unit is not None:
        if force_unit.kind != UnitKind.AGENCY or AGENCY_FORCE.get(force_unit.agency_kind) != force_kind:
            raise ServiceError(
                _("%(unit)s không thuộc lực lượng %(force)s.")
                % {"unit": force_unit.name, "force": ForceKind(force_kind).label},
                field="force_unit",
            )
        if not candidates.filter(pk=force_unit.pk).exists():
            raise ServiceError(
                _("%(unit)s không làm việc tại %(gate)s.")
                % {"unit": force_unit.name, "gate": incident.gate.name},
                field="force_unit",
            )
    elif candidates.count() == 1:
        force_unit = candidates.get()
    incident.force_kind = force_kind
    incident.force_unit = force_unit
    incident.handed_at = timezone.now()
    return _finish(actor, incident, "hand", before, from_status, note)


@transaction.atomic
def incident_start(*, actor: User, incident: Incident, note: str = "") -> Incident:
    """The force takes the incident in hand."""
    incident, before, from_status = _begin(actor, incident, "start")
    return _finish(actor, incident, "start", before, from_status, note)


@transaction.atomic
def incident_resolve(*, actor: User, incident: Incident, resolution: str, public_note: str = "") -> Incident:
    """The force records what it did. `public_note` is what the reporter reads with the tracking code."""
    incident, before, from_status = _begin(actor, incident, "resolve")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ServiceError(_("Cần ghi kết quả xử lý."), field="resolution")
    incident.resolution = resolution[:5000]
    incident.public_note = (public_note or "").strip()[:2000]
    incident.resolved_at = timezone.now()
    return _finish(actor, incident, "resolve", before, from_status, resolution)


@transaction.atomic
def incident_reopen(*, actor: User, incident: Incident, note: str) -> Incident:
    """The gate centre is not satisfied with the result: back to the force."""
    incident, before, from_status = _begin(actor, incident, "reopen")
    if not (note or "").strip():
        raise ServiceError(_("Cần ghi lý do mở lại."), field="note")
    incident.resolved_at = None
    return _finish(actor, incident, "reopen", before, from_status, note)


@transaction.atomic
def incident_close(
    *, actor: User, incident: Incident, note: str = "", public_note: str | None = None
) -> Incident:
    """The gate centre confirms the result on the ground and closes the incident."""
    incident, before, from_status = _begin(actor, incident, "close")
    if public_note is not None and public_note.strip():
        incident.public_note = public_note.strip()[:2000]
    incident.closed_at = timezone.now()
    return _finish(actor, incident, "close", before, from_status, note)


@transaction.atomic
def incident_reject(
    *,
    actor: User,
    incident: Incident,
    reason: str,
    note: str = "",
    duplicate_of: Incident | None = None,
    public_note: str = "",
) -> Incident:
    """Not taken up: spam, a duplicate (naming the incident it repeats), out of scope, or nothing
    found on checking. The reason is required."""
    incident, before, from_status = _begin(actor, incident, "reject")
    incident.reject_reason = _choice(reason or "", RejectReason, "reason", _("Cần chọn lý do không thụ lý."))
    if reason == RejectReason.DUPLICATE:
        if duplicate_of is None:
            raise ServiceError(_("Cần ghi mã vụ việc bị trùng."), field="duplicate_of")
        if duplicate_of.pk == incident.pk:
            raise ServiceError(_("Vụ việc không thể trùng với chính nó."), field="duplicate_of")
        incident.duplicate_of = duplicate_of
    incident.public_note = (public_note or "").strip()[:2000]
    incident.closed_at = timezone.now()
    return _finish(actor, incident, "reject", before, from_status, note)

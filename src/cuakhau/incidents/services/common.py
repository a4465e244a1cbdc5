"""What the reporting and the lifecycle services share: the audit snapshot (without the reporter's
contact details), the incident's own event log, and the checks on type, gate and yard."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cuakhau.core.audit import snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.gates.models import Gate

from ..models import Incident, IncidentEvent

AUDIT_EXCLUDE = {"reporter_name", "reporter_phone", "updated_at"}


def snap(incident: Incident) -> dict[str, Any]:
    data = {k: v for k, v in snapshot(incident).items() if k not in AUDIT_EXCLUDE}
    data["has_reporter_contact"] = bool(incident.reporter_name or incident.reporter_phone)
    return data


def choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ServiceError(message, field=field)
    return value


def active_gate(gate: Gate | None) -> Gate:
    if gate is None or not gate.is_active:
        raise ServiceError(_("Cần chọn cửa khẩu đang hoạt động nơi xảy ra vụ việc."), field="gate")
    return gate


def yard_at_gate(yard, gate: Gate):
    if yard is not None and yard.gate_id != gate.pk:
        raise ServiceError(
            _("Bãi %(yard)s không thuộc %(gate)s.") % {"yard": yard.name, "gate": gate.name}, field="yard"
        )
    return yard


def record_event(incident: Incident, action: str, before: str, actor: User | None, note: str = "") -> None:
    IncidentEvent.objects.create(
        incident=incident,
        action=action,
        from_status=before,
        to_status=incident.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=(note or "").strip()[:5000],
    )

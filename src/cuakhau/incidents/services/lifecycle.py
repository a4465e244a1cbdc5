"""The incident's steps after the report, each allowed from some states and for some users:

reported → triaged → handed → in_progress → resolved → closed
reported | triaged → rejected (spam, duplicate, out of scope, unfounded)
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import UnitKind
from cuakhau.gates.models import Gate

from .. import permissions
from ..models import AGENCY_FORCE, ForceKind, Incident, Kind, RejectReason, Severity, Status
from ..permissions import MANAGE, WORK
from .common import active_gate, choice, record_event, snap, yard_at_gate
from .reporting import normalise_tracking_code

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
    return incident, snap(incident), incident.status


def _finish(actor: User, incident: Incident, action: str, before: dict, from_status: str, note: str = ""):
    incident.status = TRANSITIONS[action][1]
    incident.save()
    record_event(incident, action, from_status, actor, note)
    audit_record(action=f"incident.{action}", obj=incident, before=before, after=snap(incident), actor=actor)
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
    incident.kind = choice(kind, Kind, "kind", _("Loại vụ việc không hợp lệ."))
    incident.severity = choice(severity or "", Severity, "severity", _("Cần chọn mức độ của vụ việc."))
    incident.gate = active_gate(gate)
    incident.yard = yard_at_gate(yard, incident.gate)
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
    force_kind = choice(force_kind, ForceKind, "force_kind", _("Cần chọn lực lượng chức năng xử lý."))
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


def duplicate_in_scope(user: User, code: str) -> Incident | None:
    """The incident a rejected one repeats, named by its tracking code as the user typed it: None for
    no code; ServiceError when no incident in the user's scope has that code."""
    if not code:
        return None
    duplicate = Incident.objects.for_user(user).filter(tracking_code=normalise_tracking_code(code)).first()
    if duplicate is None:
        raise ServiceError(
            _("Không có vụ việc mã %(code)s trong phạm vi của bạn.") % {"code": code},
            field="duplicate_of",
        )
    return duplicate


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
    incident.reject_reason = choice(reason or "", RejectReason, "reason", _("Cần chọn lý do không thụ lý."))
    if reason == RejectReason.DUPLICATE:
        if duplicate_of is None:
            raise ServiceError(_("Cần ghi mã vụ việc bị trùng."), field="duplicate_of")
        if duplicate_of.pk == incident.pk:
            raise ServiceError(_("Vụ việc không thể trùng với chính nó."), field="duplicate_of")
        incident.duplicate_of = duplicate_of
    incident.public_note = (public_note or "").strip()[:2000]
    incident.closed_at = timezone.now()
    return _finish(actor, incident, "reject", before, from_status, note)

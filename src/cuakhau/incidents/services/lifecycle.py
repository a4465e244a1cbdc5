"""The incident's steps after the report, each a transition of `actions.WORKFLOW` (which says from
which states and for whom):

reported → triaged → handed → in_progress → resolved → closed
reported | triaged → rejected (spam, duplicate, out of scope, unfounded)
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import UnitKind
from cuakhau.core.service import service
from cuakhau.gates.models import Gate

from ..actions import WORKFLOW
from ..models import AGENCY_FORCE, ForceKind, Incident, Kind, RejectReason, Severity
from ..selectors import force_units
from ..validation import active_gate, choice, yard_at_gate


@service
def incident_triage(
    *, actor: User, incident: Incident, kind: str, severity: str, gate: Gate | None, yard=None, note: str = ""
) -> Incident:
    """Confirm what happened (type), how serious it is and where (gate, yard)."""
    with WORKFLOW.step(actor, incident, "triage", note=note) as step:
        incident = step.obj
        incident.kind = choice(kind, Kind, "kind", _("Loại vụ việc không hợp lệ."))
        incident.severity = choice(severity or "", Severity, "severity", _("Cần chọn mức độ của vụ việc."))
        incident.gate = active_gate(gate)
        incident.yard = yard_at_gate(yard, incident.gate)
        incident.gate_confirmed = True
    return step.obj


@service
def incident_hand(
    *, actor: User, incident: Incident, force_kind: str, force_unit: Unit | None = None, note: str = ""
) -> Incident:
    """Hand the incident to the functional force whose task it is (border guard for order in the
    border-gate area, customs for smuggling, police, quarantine, environment). When that force has
    exactly one unit at the gate, the incident goes to that unit, whose officers then see it."""
    with WORKFLOW.step(actor, incident, "hand", note=note) as step:
        incident = step.obj
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
    return step.obj


@service
def incident_start(*, actor: User, incident: Incident, note: str = "") -> Incident:
    """The force takes the incident in hand."""
    with WORKFLOW.step(actor, incident, "start", note=note) as step:
        pass
    return step.obj


@service
def incident_resolve(*, actor: User, incident: Incident, resolution: str, public_note: str = "") -> Incident:
    """The force records what it did. `public_note` is what the reporter reads with the tracking code."""
    resolution = (resolution or "").strip()
    with WORKFLOW.step(actor, incident, "resolve", note=resolution) as step:
        if not resolution:
            raise ServiceError(_("Cần ghi kết quả xử lý."), field="resolution")
        step.obj.resolution = resolution[:5000]
        step.obj.public_note = (public_note or "").strip()[:2000]
        step.obj.resolved_at = timezone.now()
    return step.obj


@service
def incident_reopen(*, actor: User, incident: Incident, note: str) -> Incident:
    """The gate centre is not satisfied with the result: back to the force."""
    with WORKFLOW.step(actor, incident, "reopen", note=note) as step:
        if not (note or "").strip():
            raise ServiceError(_("Cần ghi lý do mở lại."), field="note")
        step.obj.resolved_at = None
    return step.obj


@service
def incident_close(
    *, actor: User, incident: Incident, note: str = "", public_note: str | None = None
) -> Incident:
    """The gate centre confirms the result on the ground and closes the incident."""
    with WORKFLOW.step(actor, incident, "close", note=note) as step:
        if public_note is not None and public_note.strip():
            step.obj.public_note = public_note.strip()[:2000]
        step.obj.closed_at = timezone.now()
    return step.obj


@service
def incident_reject(
    *,
    actor: User,
    incident: Incident,
    reason: str,
    note: str = "",
    duplicate_of: Incident | None = None,
    public_note: str = "",
) -> Incident:
    """Not taken up: spam, a duplicate (naming the incident it repeats, found with
    `selectors.duplicate_in_scope`), out of scope, or nothing found on checking. The reason is
    required."""
    with WORKFLOW.step(actor, incident, "reject", note=note) as step:
        incident = step.obj
        incident.reject_reason = choice(
            reason or "", RejectReason, "reason", _("Cần chọn lý do không thụ lý.")
        )
        if reason == RejectReason.DUPLICATE:
            if duplicate_of is None:
                raise ServiceError(_("Cần ghi mã vụ việc bị trùng."), field="duplicate_of")
            if duplicate_of.pk == incident.pk:
                raise ServiceError(_("Vụ việc không thể trùng với chính nó."), field="duplicate_of")
            incident.duplicate_of = duplicate_of
        incident.public_note = (public_note or "").strip()[:2000]
        incident.closed_at = timezone.now()
    return step.obj

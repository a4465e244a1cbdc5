"""The incident's workflow (core.actions) and the names of its audit events.

    reported → triaged → handed → in_progress → resolved → closed
    reported | triaged → rejected (spam, duplicate, out of scope, unfounded)
    resolved → in_progress (reopened: the gate centre is not satisfied with the result)

Each step is one `Transition`: the services run it with `WORKFLOW.step(...)` and the detail page
offers the ones `WORKFLOW.available` answers, so the page and the service agree on who may do what.
The audit snapshot leaves the reporter's contact details out (personal data, Decree 13/2023/ND-CP);
each step also writes the incident's own history row (`IncidentEvent`), which staff read on its page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Step, Transition, Workflow, audit_actions
from cuakhau.core.audit import snapshot

from .models import Incident, IncidentEvent, Status
from .permissions import MANAGE, WORK

AUDIT_EXCLUDE = {"reporter_name", "reporter_phone", "updated_at"}


def snap(incident: Incident) -> dict[str, Any]:
    """The incident for an audit event, without the reporter's name and phone number."""
    data = {k: v for k, v in snapshot(incident).items() if k not in AUDIT_EXCLUDE}
    data["has_reporter_contact"] = bool(incident.reporter_name or incident.reporter_phone)
    return data


def record_event(incident: Incident, action: str, before: str, actor: Any, note: str = "") -> IncidentEvent:
    """One row of the incident's history (its page's timeline and the API's `events`)."""
    return IncidentEvent.objects.create(
        incident=incident,
        action=action,
        from_status=before,
        to_status=incident.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=(note or "").strip()[:5000],
    )


def _on_step(step: Step) -> None:
    record_event(step.obj, step.name, step.from_state, step.actor, step.note)


S = Status
WORKFLOW = Workflow(
    Incident,
    "incidents.incident",
    transitions=[
        Transition("triage", _("phân loại"), {S.REPORTED, S.TRIAGED}, S.TRIAGED, MANAGE),
        Transition("hand", _("chuyển lực lượng chức năng"), {S.TRIAGED, S.HANDED}, S.HANDED, MANAGE),
        Transition("start", _("bắt đầu xử lý"), {S.HANDED}, S.IN_PROGRESS, WORK),
        Transition("resolve", _("ghi kết quả xử lý"), {S.IN_PROGRESS}, S.RESOLVED, WORK),
        Transition("reopen", _("mở lại"), {S.RESOLVED}, S.IN_PROGRESS, MANAGE),
        Transition("close", _("đóng"), {S.RESOLVED}, S.CLOSED, MANAGE),
        Transition("reject", _("không thụ lý"), {S.REPORTED, S.TRIAGED}, S.REJECTED, MANAGE, style="danger"),
    ],
    snapshot=snap,
    on_step=_on_step,
    describe=lambda incident: _("vụ việc %(code)s") % {"code": incident.tracking_code},
)

# The two ways an incident comes in; the steps above register theirs with the workflow.
audit_actions.register(
    "incidents",
    {
        "incidents.incident.report_public": _("nhận phản ánh của người dân"),
        "incidents.incident.record": _("ghi nhận vụ việc"),
    },
    legacy={
        "incident.report_public": "incidents.incident.report_public",
        "incident.record": "incidents.incident.record",
        **{f"incident.{name}": f"incidents.incident.{name}" for name in WORKFLOW.transitions},
    },
)

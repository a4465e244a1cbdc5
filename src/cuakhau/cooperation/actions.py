"""The cooperation app's workflow and audit actions (core.actions).

A commitment followed as an action: open -> in progress -> done, or dropped (`cancel`: only the
Board's leader and departments drop the province's word to the Guangxi side). A report that keeps the
status is a progress note (`report`), on a finished action too. Each step leaves a CommitmentUpdate.
The system (actor None: the demo loader, the CLI) may take every step.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Step, Transition, Workflow, audit_actions
from cuakhau.core.audit import snapshot
from cuakhau.core.permissions import CHANGE

from .models import OPEN_ACTION, ActionStatus, Commitment, CommitmentUpdate
from .permissions import may_manage


def snap(obj, m2m: str | None = None) -> dict:
    """An audit snapshot without the row's own clock, with its partners' codes when asked."""
    data = snapshot(obj)
    data.pop("updated_at", None)
    if m2m and obj.pk:
        data[m2m] = sorted(getattr(obj, m2m).values_list("code", flat=True))
    return data


def _update_written(step: Step) -> None:
    actor = step.actor
    CommitmentUpdate.objects.create(
        commitment=step.obj,
        status=step.obj.status,
        note=step.note[:5000],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    step.facts["note"] = step.note[:500]


COMMITMENT = Workflow(
    Commitment,
    "cooperation.commitment",
    transitions=[
        Transition(
            "start",
            _("bắt đầu thực hiện"),
            sources={ActionStatus.OPEN},
            target=ActionStatus.IN_PROGRESS,
            permission=CHANGE,
            system=True,
        ),
        Transition(
            "complete",
            _("hoàn thành"),
            sources=OPEN_ACTION,
            target=ActionStatus.DONE,
            permission=CHANGE,
            system=True,
        ),
        Transition(
            "cancel",
            _("không thực hiện nữa"),
            sources=OPEN_ACTION,
            target=ActionStatus.CANCELLED,
            permission=CHANGE,
            guard=lambda user, commitment: may_manage(user),
            system=True,
            style="danger",
        ),
        Transition(
            "report",
            _("báo cáo tiến độ"),
            sources=set(ActionStatus.values),
            target=None,
            permission=CHANGE,
            system=True,
        ),
    ],
    snapshot=snap,
    on_step=_update_written,
    describe=lambda c: _("cam kết “%(text)s”") % {"text": c.text_vi[:80]},
)

audit_actions.register(
    "cooperation",
    {
        "cooperation.counterpart.add": _("thêm đối tác"),
        "cooperation.counterpart.change": _("sửa đối tác"),
        "cooperation.meeting.record": _("ghi cuộc hội đàm"),
        "cooperation.meeting.update": _("sửa cuộc hội đàm"),
        "cooperation.document.attach": _("đính kèm tài liệu"),
        "cooperation.agreement.record": _("ghi thỏa thuận"),
        "cooperation.commitment.add": _("thêm cam kết"),
        "cooperation.commitment.change": _("giao lại cam kết, đổi hạn"),
        "cooperation.milestone.add": _("thêm mốc"),
        "cooperation.milestone.change": _("sửa mốc"),
    },
    legacy={
        "cooperation.counterpart_add": "cooperation.counterpart.add",
        "cooperation.counterpart_change": "cooperation.counterpart.change",
        "cooperation.meeting_record": "cooperation.meeting.record",
        "cooperation.meeting_update": "cooperation.meeting.update",
        "cooperation.document_attach": "cooperation.document.attach",
        "cooperation.agreement_record": "cooperation.agreement.record",
        "cooperation.commitment_add": "cooperation.commitment.add",
        "cooperation.commitment_report": "cooperation.commitment.report",
        "cooperation.commitment_change": "cooperation.commitment.change",
        "cooperation.milestone_add": "cooperation.milestone.add",
        "cooperation.milestone_change": "cooperation.milestone.change",
    },
)

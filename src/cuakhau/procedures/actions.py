"""The dossier's workflow (core.actions) and the names of its audit events.

    new → received | refused
    received → processing ⇄ supplement | fee_due → processed → returned
    new | received | processing | supplement | fee_due → withdrawn → stopped
    received | processing | fee_due | supplement: apologise (one new appointment; the state stays)

Each step is one `Transition`: the services run it with `WORKFLOW.step(...)`, and the detail page
offers what `WORKFLOW.available` answers. A hand-off is offered only while a next step exists, an
apology only for a late dossier not yet re-appointed (`ready`): the services refuse the others with
their own message. Each step writes the dossier's history row (`DossierEvent`, the handover slip of
form 06 and the public history); the audit snapshot leaves the applicant's contact details out.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Step, Transition, Workflow, audit_actions
from cuakhau.core.permissions import CHANGE

from . import clock, notify
from .models import OPEN, RUNNING, Dossier, DossierEvent, Status
from .permissions import APPLY

PUBLIC_SNAPSHOT = (
    "code",
    "status",
    "handling_unit_id",
    "step_index",
    "due_at",
    "appointment_at",
    "paused_remaining",
    "finished_timing",
    "assignee_id",
)


def snap(dossier: Dossier) -> dict[str, Any]:
    # The applicant's contact details are personal data (Decree 13/2023/ND-CP): kept out of the log.
    return {name: getattr(dossier, name) for name in PUBLIC_SNAPSHOT}


def log_event(
    dossier, *, action, from_status, actor, at, public_note="", internal_note="", **extra
) -> DossierEvent:
    """One row of the dossier's history. `actor` is None for the system."""
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor,
        at=at or timezone.now(),
        public_note=public_note,
        internal_note=internal_note,
        **extra,
    )


def _on_step(step: Step) -> None:
    log_event(step.obj, action=step.name, from_status=step.from_state, actor=step.actor, **step.extra)


def _notice(event: str):
    """The applicant's notice of a step, sent once the step has committed (notify.py)."""
    return lambda dossier, actor: notify.send_now(dossier, event)


def has_next_step(dossier: Dossier) -> bool:
    """Whether a hand-off is possible: the last step returns the result and is reached by `process`."""
    return dossier.step_index + 2 < len(dossier.version.steps or [])


def may_apologise_now(dossier: Dossier) -> bool:
    """Late, or due within the next working day, and not re-appointed yet (one apology only)."""
    if dossier.reappointed:
        return False
    return dossier.is_overdue or bool(
        dossier.due_at and clock.due_within_a_working_day(dossier.due_at, timezone.localdate())
    )


S = Status
WORKFLOW = Workflow(
    Dossier,
    "procedures.dossier",
    transitions=[
        Transition("receive", _("tiếp nhận hồ sơ"), {S.NEW}, S.RECEIVED, CHANGE, notify=_notice("received")),
        Transition(
            "refuse",
            _("từ chối tiếp nhận"),
            {S.NEW},
            S.REFUSED,
            CHANGE,
            notify=_notice("refused"),
            style="danger",
        ),
        Transition(
            "handoff",
            _("chuyển bước xử lý"),
            {S.RECEIVED, S.PROCESSING},
            S.PROCESSING,
            CHANGE,
            ready=has_next_step,
        ),
        Transition(
            "request_supplement", _("yêu cầu bổ sung hồ sơ"), {S.RECEIVED, S.PROCESSING}, S.SUPPLEMENT, CHANGE
        ),
        Transition(
            "supplement",
            _("nộp bổ sung hồ sơ"),
            {S.SUPPLEMENT},
            S.PROCESSING,
            APPLY,
            notify=_notice("supplemented"),
        ),
        Transition(
            "request_fee",
            _("thông báo nộp phí, lệ phí"),
            {S.PROCESSING},
            S.FEE_DUE,
            CHANGE,
            notify=_notice("fee_due"),
        ),
        Transition("pay_fee", _("ghi nhận đã nộp phí"), {S.FEE_DUE}, S.PROCESSING, CHANGE),
        Transition(
            "process",
            _("ghi kết quả giải quyết"),
            {S.PROCESSING},
            S.PROCESSED,
            CHANGE,
            notify=_notice("processed"),
        ),
        Transition("return", _("trả kết quả"), {S.PROCESSED}, S.RETURNED, CHANGE, notify=_notice("returned")),
        Transition("withdraw", _("rút hồ sơ"), OPEN, S.WITHDRAWN, APPLY, style="danger"),
        Transition("stop", _("dừng giải quyết"), {S.WITHDRAWN}, S.STOPPED, CHANGE, notify=_notice("stopped")),
        Transition(
            "apologise",
            _("xin lỗi và hẹn lại"),
            RUNNING | {S.SUPPLEMENT},
            None,
            CHANGE,
            notify=_notice("apologised"),
            ready=may_apologise_now,
        ),
    ],
    snapshot=snap,
    on_step=_on_step,
    describe=lambda dossier: dossier.code,
)

# What is not a step of a dossier: its two ways in, the warnings, the catalogue, personal data.
audit_actions.register(
    "procedures",
    {
        "procedures.dossier.submit": _("nộp hồ sơ trực tuyến"),
        "procedures.dossier.desk": _("tiếp nhận tại Bộ phận một cửa"),
        "procedures.dossier.warn": _("cảnh báo hồ sơ sắp quá hạn"),
        "procedures.dossier.applicant_id_viewed": _("xem đầy đủ số giấy tờ của người nộp hồ sơ"),
        "procedures.version.publish": _("công bố phiên bản thủ tục"),
    },
)

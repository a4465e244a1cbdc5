"""From reception to the result: hand-offs between units (form 06), supplements (form 02), the fee,
the result and its return; withdrawal and stopping (form 05). Each is a transition of
`actions.WORKFLOW`: the step locks the dossier, checks the user and the state, and afterwards saves
it, writes its history row (from `step.extra`), the audit event and the applicant's notice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.l10n import format_number
from cuakhau.core.models import User
from cuakhau.core.service import service
from cuakhau.core.vnformat import format_datetime

from .. import clock, notify
from ..actions import WORKFLOW
from ..files import store_files
from ..models import Dossier, DossierFile, Status
from ..rules import at_or_now, clean_text, due_of_step, unit_by_code

# A ceiling far above any procedure's fee that keeps a mistyped amount out of the database's integer.
MAX_FEE = 1_000_000_000_000


@service
def dossier_handoff(
    *,
    actor: User,
    dossier: Dossier,
    internal_note: str = "",
    assignee: User | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier to the next step's unit (form 06): the hand-off is timed against the step's
    share of the deadline and marked early, on time or late."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "handoff", at=at, internal_note=internal_note) as step:
        dossier = step.obj
        steps = dossier.version.steps or []
        if dossier.step_index + 2 >= len(steps):  # the last step returns the result: reached by `process`
            raise ServiceError(
                _("Hồ sơ đang ở bước %(step)s: bước tiếp theo là ghi kết quả giải quyết.")
                % {"step": (dossier.step or {}).get("name", "")},
                field="step",
                status=409,
            )
        step_due = due_of_step(dossier, dossier.step_index, dossier.step_started_at or dossier.clock_start)
        from_unit = dossier.handling_unit
        dossier.step_index += 1
        dossier.handling_unit = (
            unit_by_code(steps[dossier.step_index].get("unit", "")) or dossier.version.handling_unit
        )
        dossier.step_started_at = at
        if assignee is not None and assignee.unit_id != dossier.handling_unit_id:
            raise ServiceError(
                _("Cán bộ %(name)s không thuộc %(unit)s.")
                % {"name": assignee.display_name, "unit": dossier.handling_unit.name},
                field="assignee",
            )
        dossier.assignee = assignee
        step.extra.update(
            step_name=steps[dossier.step_index - 1].get("name", ""),
            from_unit=from_unit,
            to_unit=dossier.handling_unit,
            step_due_at=step_due,
            timing=clock.timing(at, step_due),
        )
    return step.obj


@service
def dossier_request_supplement(
    *, actor: User, dossier: Dossier, items: str, internal_note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """Ask the applicant to supplement the dossier, once and in full, saying what is missing (form 02).
    The clock stops; what is left of the deadline is kept (clock.py)."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "request_supplement", at=at, internal_note=internal_note) as step:
        dossier = step.obj
        items = clean_text(items, "items", _("nội dung cần bổ sung"), min_len=5, max_len=4000)
        dossier.paused_remaining = clock.remaining(at, dossier.due_at, dossier.version.deadline_unit)
        dossier.paused_at = at
        step.extra.update(public_note=items, from_unit=dossier.handling_unit)
        notify.on_commit(dossier, "supplement_requested", extra=items)
    return step.obj


@service
def dossier_supplement(
    *, actor: User, dossier: Dossier, files=(), note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The applicant supplies what was asked; the clock restarts with what was left."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "supplement", at=at, internal_note=note) as step:
        dossier = step.obj
        if not files:
            raise ServiceError(_("Cần đính kèm tệp hồ sơ bổ sung."), field="files")
        store_files(dossier, files, DossierFile.Kind.SUPPLEMENT, actor, at)
        version = dossier.version
        old_due = dossier.due_at
        dossier.due_at = clock.due(at, dossier.paused_remaining or Decimal(0), version.deadline_unit)
        if (
            dossier.appointment_at == old_due
            or dossier.appointment_at is None
            or dossier.appointment_at < dossier.due_at
        ):
            dossier.appointment_at = dossier.due_at
        paused = clock.remaining(
            clock.start_of_clock(dossier.paused_at), clock.start_of_clock(at), "working_days"
        )
        dossier.paused_total = (dossier.paused_total or 0) + paused
        dossier.paused_at = None
        dossier.paused_remaining = None
        step.extra.update(
            public_note=_("Đã nhận hồ sơ bổ sung; hẹn trả kết quả %(due)s.")
            % {"due": format_datetime(dossier.appointment_at)},
            to_unit=dossier.handling_unit,
        )
    return step.obj


@service
def dossier_request_fee(
    *, actor: User, dossier: Dossier, amount: int | None = None, at: dt.datetime | None = None
) -> Dossier:
    """Tell the applicant the fee to pay before the result (the catalogue's fee unless stated)."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "request_fee", at=at) as step:
        dossier = step.obj
        amount = dossier.version.fee if amount is None else amount
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ServiceError(_("Số tiền phí, lệ phí phải là số đồng lớn hơn 0."), field="amount")
        if amount > MAX_FEE:
            raise ServiceError(
                _("Số tiền phí, lệ phí không được quá %(max)s đồng.") % {"max": format_number(MAX_FEE)},
                field="amount",
            )
        dossier.fee_amount = amount
        step.extra["public_note"] = _("Phí, lệ phí phải nộp: %(amount)s đồng.") % {
            "amount": format_number(amount)
        }
    return step.obj


@service
def dossier_pay_fee(
    *, actor: User, dossier: Dossier, online: bool = False, at: dt.datetime | None = None
) -> Dossier:
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "pay_fee", at=at, public_note=_("Đã nộp phí, lệ phí.")) as step:
        step.obj.fee_paid_at = at
        step.obj.fee_paid_online = bool(online)
    return step.obj


@service
def dossier_process(
    *,
    actor: User,
    dossier: Dossier,
    result_summary: str,
    files=(),
    internal_note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Record the result; the dossier is marked early, on time or late against its legal due moment
    (an apology's new appointment does not make a late dossier on time)."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "process", at=at, internal_note=internal_note) as step:
        dossier = step.obj
        result_summary = clean_text(
            result_summary, "result_summary", _("kết quả giải quyết"), min_len=5, max_len=4000
        )
        store_files(dossier, files, DossierFile.Kind.RESULT, actor, at)
        steps = dossier.version.steps or []
        step_due = due_of_step(dossier, dossier.step_index, dossier.step_started_at or dossier.clock_start)
        from_unit = dossier.handling_unit
        step_name = steps[dossier.step_index].get("name", "") if steps else ""
        if steps:
            dossier.step_index = len(steps) - 1
            dossier.handling_unit = unit_by_code(steps[-1].get("unit", "")) or dossier.version.handling_unit
        dossier.processed_at = at
        dossier.result_summary = result_summary
        dossier.finished_timing = clock.timing(at, dossier.due_at)
        step.extra.update(
            public_note=result_summary,
            from_unit=from_unit,
            to_unit=dossier.handling_unit,
            step_due_at=step_due,
            timing=clock.timing(at, step_due),
            step_name=step_name,
        )
    return step.obj


@service
def dossier_return(
    *, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "return", at=at, public_note=note or _("Đã trả kết quả.")) as step:
        step.obj.returned_at = at
    return step.obj


@service
def dossier_withdraw(*, actor: User, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """The applicant asks to withdraw the dossier (in writing, or online)."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "withdraw", at=at) as step:
        reason = clean_text(reason, "reason", _("lý do rút hồ sơ"), min_len=5, max_len=2000)
        step.obj.stop_reason = reason
        if step.from_state == Status.SUPPLEMENT:
            step.obj.paused_at = None
        step.extra["public_note"] = reason
    return step.obj


@service
def dossier_stop(*, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Stop handling a withdrawn dossier (form 05); the files are returned on request."""
    at = at_or_now(at)
    with WORKFLOW.step(
        actor,
        dossier,
        "stop",
        at=at,
        public_note=_("Dừng giải quyết theo đề nghị rút hồ sơ."),
        internal_note=note,
    ) as step:
        pass
    return step.obj

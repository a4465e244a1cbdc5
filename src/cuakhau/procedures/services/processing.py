"""From reception to the result: hand-offs between units (form 06), supplements (form 02), the fee,
the result and its return; withdrawal and stopping (form 05)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.l10n import format_number
from cuakhau.core.models import User
from cuakhau.core.vnformat import format_datetime

from .. import clock, notify
from ..models import (
    Dossier,
    DossierFile,
    Status,
)
from .common import (
    at_or_now,
    audit,
    check_transition,
    clean_text,
    due_of_step,
    lock_dossier,
    log_event,
    snap,
    unit_by_code,
)
from .files import store_files

# A ceiling far above any procedure's fee that keeps a mistyped amount out of the database's integer.
MAX_FEE = 1_000_000_000_000


@transaction.atomic
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
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "handoff")
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
    dossier.status = to_status
    if assignee is not None:
        if assignee.unit_id != dossier.handling_unit_id:
            raise ServiceError(
                _("Cán bộ %(name)s không thuộc %(unit)s.")
                % {"name": assignee.display_name, "unit": dossier.handling_unit.name},
                field="assignee",
            )
    dossier.assignee = assignee
    dossier.save()
    log_event(
        dossier,
        action="handoff",
        from_status=from_status,
        actor=actor,
        at=at,
        internal_note=internal_note,
        step_name=steps[dossier.step_index - 1].get("name", ""),
        from_unit=from_unit,
        to_unit=dossier.handling_unit,
        step_due_at=step_due,
        timing=clock.timing(at, step_due),
    )
    audit("handoff", dossier, before, actor)
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, actor: User, dossier: Dossier, items: str, internal_note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """Ask the applicant to supplement the dossier, once and in full, saying what is missing (form 02).
    The clock stops; what is left of the deadline is kept (clock.py)."""
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "request_supplement")
    items = clean_text(items, "items", _("nội dung cần bổ sung"), min_len=5, max_len=4000)
    version = dossier.version
    dossier.paused_remaining = clock.remaining(at, dossier.due_at, version.deadline_unit)
    dossier.paused_at = at
    dossier.status = to_status
    dossier.save()
    log_event(
        dossier,
        action="request_supplement",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=items,
        internal_note=internal_note,
        from_unit=dossier.handling_unit,
    )
    audit("request_supplement", dossier, before, actor)
    notify.on_commit(dossier, "supplement_requested", extra=items)
    return dossier


@transaction.atomic
def dossier_supplement(
    *, actor: User, dossier: Dossier, files=(), note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The applicant supplies what was asked; the clock restarts with what was left."""
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "supplement")
    if not files:
        raise ServiceError(_("Cần đính kèm tệp hồ sơ bổ sung."), field="files")
    store_files(dossier, files, DossierFile.Kind.SUPPLEMENT, actor, at)
    version = dossier.version
    old_due = dossier.due_at
    dossier.due_at = clock.due(at, dossier.paused_remaining or Decimal(0), version.deadline_unit)
    if dossier.appointment_at == old_due or dossier.appointment_at is None:
        dossier.appointment_at = dossier.due_at
    elif dossier.appointment_at < dossier.due_at:
        dossier.appointment_at = dossier.due_at
    paused = clock.remaining(
        clock.start_of_clock(dossier.paused_at), clock.start_of_clock(at), "working_days"
    )
    dossier.paused_total = (dossier.paused_total or 0) + paused
    dossier.paused_at = None
    dossier.paused_remaining = None
    dossier.status = to_status
    dossier.save()
    log_event(
        dossier,
        action="supplement",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Đã nhận hồ sơ bổ sung; hẹn trả kết quả %(due)s.")
        % {"due": format_datetime(dossier.appointment_at)},
        internal_note=note,
        to_unit=dossier.handling_unit,
    )
    audit("supplement", dossier, before, actor)
    notify.on_commit(dossier, "supplemented")
    return dossier


@transaction.atomic
def dossier_request_fee(
    *, actor: User, dossier: Dossier, amount: int | None = None, at: dt.datetime | None = None
) -> Dossier:
    """Tell the applicant the fee to pay before the result (the catalogue's fee unless stated)."""
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "request_fee")
    amount = dossier.version.fee if amount is None else amount
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ServiceError(_("Số tiền phí, lệ phí phải là số đồng lớn hơn 0."), field="amount")
    if amount > MAX_FEE:
        raise ServiceError(
            _("Số tiền phí, lệ phí không được quá %(max)s đồng.") % {"max": format_number(MAX_FEE)},
            field="amount",
        )
    dossier.fee_amount = amount
    dossier.status = to_status
    dossier.save()
    log_event(
        dossier,
        action="request_fee",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Phí, lệ phí phải nộp: %(amount)s đồng.") % {"amount": format_number(amount)},
    )
    audit("request_fee", dossier, before, actor)
    notify.on_commit(dossier, "fee_due")
    return dossier


@transaction.atomic
def dossier_pay_fee(
    *, actor: User, dossier: Dossier, online: bool = False, at: dt.datetime | None = None
) -> Dossier:
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "pay_fee")
    dossier.fee_paid_at = at
    dossier.fee_paid_online = bool(online)
    dossier.status = to_status
    dossier.save()
    log_event(
        dossier,
        action="pay_fee",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Đã nộp phí, lệ phí."),
    )
    audit("pay_fee", dossier, before, actor)
    return dossier


@transaction.atomic
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
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "process")
    result_summary = clean_text(
        result_summary, "result_summary", _("kết quả giải quyết"), min_len=5, max_len=4000
    )
    store_files(dossier, files, DossierFile.Kind.RESULT, actor, at)
    steps = dossier.version.steps or []
    step_due = due_of_step(dossier, dossier.step_index, dossier.step_started_at or dossier.clock_start)
    from_unit = dossier.handling_unit
    if steps:
        dossier.step_index = len(steps) - 1
        dossier.handling_unit = unit_by_code(steps[-1].get("unit", "")) or dossier.version.handling_unit
    dossier.status = to_status
    dossier.processed_at = at
    dossier.result_summary = result_summary
    dossier.finished_timing = clock.timing(at, dossier.due_at)
    dossier.save()
    log_event(
        dossier,
        action="process",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=result_summary,
        internal_note=internal_note,
        from_unit=from_unit,
        to_unit=dossier.handling_unit,
        step_due_at=step_due,
        timing=clock.timing(at, step_due),
        step_name=(steps[before["step_index"]].get("name", "") if steps else ""),
    )
    audit("process", dossier, before, actor)
    notify.on_commit(dossier, "processed")
    return dossier


@transaction.atomic
def dossier_return(
    *, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "return")
    dossier.status = to_status
    dossier.returned_at = at
    dossier.save()
    log_event(
        dossier,
        action="return",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=note or _("Đã trả kết quả."),
    )
    audit("return", dossier, before, actor)
    notify.on_commit(dossier, "returned")
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor: User, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """The applicant asks to withdraw the dossier (in writing, or online)."""
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "withdraw")
    reason = clean_text(reason, "reason", _("lý do rút hồ sơ"), min_len=5, max_len=2000)
    dossier.status = to_status
    dossier.stop_reason = reason
    if from_status == Status.SUPPLEMENT:
        dossier.paused_at = None
    dossier.save()
    log_event(dossier, action="withdraw", from_status=from_status, actor=actor, at=at, public_note=reason)
    audit("withdraw", dossier, before, actor)
    return dossier


@transaction.atomic
def dossier_stop(*, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Stop handling a withdrawn dossier (form 05); the files are returned on request."""
    at = at_or_now(at)
    dossier = lock_dossier(dossier)
    before = snap(dossier)
    from_status, to_status = check_transition(actor, dossier, "stop")
    dossier.status = to_status
    dossier.save()
    log_event(
        dossier,
        action="stop",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Dừng giải quyết theo đề nghị rút hồ sơ."),
        internal_note=note,
    )
    audit("stop", dossier, before, actor)
    notify.on_commit(dossier, "stopped")
    return dossier

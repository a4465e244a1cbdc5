"""Late dossiers: the apology with one new appointment (form 04) and the daily warnings to the
handling units."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import policy
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service
from cuakhau.core.vnformat import format_datetime
from cuakhau.core.workcal.calendar import MAX_YEAR

from .. import clock, notify
from ..actions import WORKFLOW
from ..models import RUNNING, ApologyLetter, Dossier, DueWarning, Status
from ..rules import at_or_now, clean_text


@service
def dossier_apologise(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    new_due_at: dt.datetime,
    at: dt.datetime | None = None,
) -> ApologyLetter:
    """A dossier that is or will be late: the handling unit apologises in writing and gives one new
    appointment (form 04; Decree 61/2018/ND-CP, amended by Decree 107/2021/ND-CP). A second
    re-appointment is refused: the dossier stays late and is counted so."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "apologise", at=at) as step:
        letter = _letter(step, reason=reason, new_due_at=new_due_at, at=at)
    return letter


def _letter(step, *, reason: str, new_due_at: dt.datetime, at: dt.datetime) -> ApologyLetter:
    """The apology's checks and its letter, inside the step (the dossier is locked)."""
    dossier = step.obj
    existing = ApologyLetter.objects.filter(dossier=dossier).first()
    if existing is not None:
        raise ServiceError(
            _(
                "Hồ sơ %(code)s đã được hẹn lại một lần (phiếu xin lỗi ngày %(day)s, hẹn %(due)s); không được hẹn lại lần thứ hai."
            )
            % {
                "code": dossier.code,
                "day": format_datetime(existing.issued_at),
                "due": format_datetime(existing.new_due_at),
            },
            field="new_due_at",
            status=409,
        )
    if dossier.due_at is None or not (
        dossier.due_at <= at
        or clock.due_within_a_working_day(dossier.due_at, timezone.localdate(at))
        or dossier.status == Status.SUPPLEMENT
    ):
        raise ServiceError(
            _(
                "Hồ sơ chưa đến hạn (hẹn %(due)s): chỉ lập phiếu xin lỗi khi hồ sơ quá hạn hoặc sẽ quá hạn trong ngày làm việc tới."
            )
            % {"due": format_datetime(dossier.due_at) if dossier.due_at else "—"},
            field="new_due_at",
            status=409,
        )
    reason = clean_text(reason, "reason", _("lý do quá hạn"), min_len=5, max_len=2000)
    if new_due_at is None or timezone.is_naive(new_due_at):
        raise ServiceError(_("Cần ghi ngày hẹn lại."), field="new_due_at")
    if new_due_at.year > MAX_YEAR:  # checked before any arithmetic: the year 9999 overflows it
        raise ServiceError(
            _("Ngày hẹn lại phải trước năm %(year)s.") % {"year": MAX_YEAR + 1}, field="new_due_at"
        )
    if new_due_at <= max(at, dossier.appointment_at or at):
        raise ServiceError(
            _("Ngày hẹn lại phải sau hẹn hiện tại (%(due)s) và sau thời điểm lập phiếu.")
            % {"due": format_datetime(dossier.appointment_at)},
            field="new_due_at",
        )
    letter = ApologyLetter.objects.create(
        dossier=dossier,
        reason=reason,
        previous_due_at=dossier.appointment_at,
        new_due_at=new_due_at,
        issued_at=at,
        issued_by=step.actor,
    )
    dossier.appointment_at = new_due_at
    step.extra["public_note"] = _("Xin lỗi vì chậm trả kết quả: %(reason)s. Hẹn lại: %(due)s.") % {
        "reason": reason,
        "due": format_datetime(new_due_at),
    }
    return letter


@service
def warnings_send(*, actor: User | None, today: dt.date | None = None) -> dict:
    """Warn each handling unit of its dossiers that would be late by the end of the next working day,
    once per due moment. Run daily by the system (actor None: `cuakhau procedures warn`, or the
    `warn_due_dossiers` task); a person who runs it must be of the one-stop desk."""
    if actor is not None:
        policy.require(actor, "procedures.receive_at_desk")
    today = today or timezone.localdate()
    due = Dossier.objects.filter(status__in=RUNNING, due_at__isnull=False).select_related(
        "handling_unit", "version"
    )
    sent, already = [], 0
    for dossier in due:
        if not clock.due_within_a_working_day(dossier.due_at, today):
            continue
        if DueWarning.objects.filter(dossier=dossier, due_at=dossier.due_at).exists():
            already += 1
            continue
        recipients = list(
            User.objects.filter(unit=dossier.handling_unit, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        DueWarning.objects.create(
            dossier=dossier, due_at=dossier.due_at, unit=dossier.handling_unit, recipients=len(recipients)
        )
        notify.warn_unit_on_commit(dossier, recipients)
        sent.append(dossier.code)
    if sent:
        audit_record(
            action="procedures.dossier.warn",
            object_type="procedures.dossier",
            object_repr=_("Cảnh báo sắp quá hạn: %(n)s hồ sơ") % {"n": len(sent)},
            after={"today": today, "codes": sent},
            actor=actor,
        )
    return {"warned": len(sent), "already_warned": already, "codes": sent}

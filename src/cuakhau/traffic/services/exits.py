"""Each gate's exit rule, and the supervisor's release of a trip it refused (what the rule says at
the barrier is read in barrier.py).

* `exit_rule_set`: the Board's departments set, for a gate, the rule from a day on (today or later):
  the period in force is closed the day before and the new one opens; a period not yet begun is
  replaced. What applied on a past day is never changed, so an exit refused or allowed yesterday is
  explained by the rule as it stood. Audited.
* `exit_release`: a supervisor (the Board's leaders or departments: permissions.RELEASE_ROLES) lets a
  refused truck out, with a reason. The refusal's gate exception is marked released, listed with the
  gate's exceptions; the next gate-out of that trip passes the fee rule (once: it crosses)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import VIEW
from cuakhau.core.service import service
from cuakhau.gates.models import Gate

from .. import permissions
from ..actions import DECLARATION, GATE_EXCEPTION
from ..models import Declaration, ExceptionReason, ExceptionStatus, ExitMode, GateException, GateExitRule

# --- the Board sets the rule ------------------------------------------------------------------------


@service
def exit_rule_set(
    *, actor, gate: Gate, mode: str, effective_from: datetime.date, decision: str
) -> GateExitRule:
    """Set `gate`'s exit rule from `effective_from` (today or later) on, open-ended. Refused: a day in
    the past, a day on which a rule already in force began (today's rule stands until tomorrow), an
    unknown mode, no decision (the Board's document it follows), or a rule that would change nothing
    (the same mode already in force that day)."""
    if actor is not None and not permissions.may_set_exit_rule(actor):  # None: the reference loader
        raise ServiceError(
            _("Chỉ phòng chuyên môn của Ban đặt quy định xe ra của cửa khẩu."),
            field="",
            code="forbidden",
            status=403,
        )
    if mode not in ExitMode.values:
        raise ServiceError(_("Chọn một quy định xe ra."), field="mode")
    if not isinstance(effective_from, datetime.date) or isinstance(effective_from, datetime.datetime):
        raise ServiceError(_("Ngày áp dụng không hợp lệ."), field="effective_from")
    today = timezone.localdate()
    if effective_from < today:
        raise ServiceError(
            _("Quy định chỉ áp dụng từ hôm nay trở đi: những ngày đã qua giữ quy định đã áp dụng."),
            field="effective_from",
        )
    decision = " ".join((decision or "").split())
    if not decision:
        raise ServiceError(_("Ghi căn cứ (số, ngày văn bản của Ban)."), field="decision")
    Gate.objects.select_for_update().filter(pk=gate.pk).first()  # one writer per gate's periods
    rules = GateExitRule.objects.filter(gate=gate)
    # Periods that have not begun give way to the new one; one already in force is only closed.
    started = rules.filter(effective_from__gte=effective_from, effective_from__lte=today).first()
    if started is not None:
        raise ServiceError(
            _("Cửa khẩu này đã có quy định áp dụng từ %(d)s: quy định mới áp dụng từ ngày sau đó.")
            % {"d": started.effective_from.strftime("%d/%m/%Y")},
            field="effective_from",
        )
    later = list(rules.filter(effective_from__gte=effective_from))
    current = (
        rules.filter(effective_from__lt=effective_from)
        .exclude(effective_to__lt=effective_from)
        .order_by("-effective_from")
        .first()
    )
    if current is not None and current.mode == mode and not later:
        raise ServiceError(
            _("Cửa khẩu này đã áp dụng quy định “%(m)s” từ %(d)s.")
            % {"m": current.get_mode_display(), "d": current.effective_from.strftime("%d/%m/%Y")},
            field="mode",
        )
    before = {
        "current": snapshot(current, ["mode", "effective_from", "effective_to"]) if current else None,
        "replaced": [snapshot(r, ["mode", "effective_from", "effective_to"]) for r in later],
    }
    for rule in later:
        rule.delete()
    if current is not None:
        current.effective_to = effective_from - datetime.timedelta(days=1)
        current.save(update_fields=["effective_to"])
    rule = GateExitRule.objects.create(
        gate=gate, mode=mode, effective_from=effective_from, decision=decision[:255], created_by=actor
    )
    audit_record(
        actor=actor,
        action="traffic.exit_rule.set",
        obj=rule,
        before=before,
        after=snapshot(rule, ["gate", "mode", "effective_from", "effective_to", "decision"]),
    )
    return rule


# --- a supervisor lets the truck out -----------------------------------------------------------------


@service
def exit_release(*, actor, declaration: Declaration, reason: str) -> list[GateException]:
    """Let out a trip its gate's exit rule refused for an unpaid fee: the Board's leaders or departments,
    with a reason. Every open refusal of the trip is marked released (listed with the gate's
    exceptions); the trip's next gate-out passes the fee rule."""
    if actor is None or not permissions.may_release_exit(actor):
        raise ServiceError(
            _("Chỉ lãnh đạo Ban hoặc phòng chuyên môn của Ban được cho xe chưa nộp phí ra."),
            field="",
            code="forbidden",
            status=403,
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Cần ghi lý do cho xe ra khi chưa nộp phí."), field="reason")
    if not Declaration.objects.for_user(actor, VIEW).filter(pk=declaration.pk).exists():
        raise NotFound(_("Không tìm thấy tờ khai hoặc bạn không có quyền thao tác."))
    with DECLARATION.step(actor, declaration, "exit_release") as step:
        refusals = list(
            GateException.objects.filter(
                declaration=step.obj, reason=ExceptionReason.UNPAID, status=ExceptionStatus.OPEN
            ).order_by("created_at")
        )
        if not refusals:
            raise ServiceError(
                _("Xe của tờ khai %(n)s chưa bị từ chối ra vì phí: không có gì để cho ra.")
                % {"n": step.obj.number},
                field="declaration",
                status=409,
            )
        now = timezone.now()
        released = []
        for exception in refusals:
            with GATE_EXCEPTION.step(actor, exception, "release", note=reason) as item:
                item.obj.note = reason[:500]
                item.obj.resolved_by, item.obj.resolved_at = actor, now
            released.append(item.obj)
        step.facts.update(
            exceptions=[e.pk for e in released],
            reason=reason[:500],
            fee_assessment=step.obj.fee_assessment_id,
        )
    return released

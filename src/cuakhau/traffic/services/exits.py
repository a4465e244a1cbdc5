"""Each gate's exit rule and what it does at the barrier.

* `exit_rule_set`: the Board's departments set, for a gate, the rule from a day on (today or later):
  the period in force is closed the day before and the new one opens; a period not yet begun is
  replaced. What applied on a past day is never changed, so an exit refused or allowed yesterday is
  explained by the rule as it stood. Audited.
* `exit_refusal`: at gate-out, once every check has passed, whether the gate's rule on that day lets
  the trip's fee stand: `must_pay` wants it paid (or exempt); `deposit_or_credit` also lets the vehicle
  leave owing when the payer's deposit covers the fee or its debts stay within the limit the Board
  approved (fees.credit); `none` asks nothing. A fee that could not be assessed (no tariff, say) is not
  a fee paid: it is refused too, with the reason. Where no rule is set, the strictest applies
  (models.exits.DEFAULT_EXIT_MODE). Cost on the usual path: the rule from the per-process reference
  cache, and one statement for the fee's status.
* `exit_release`: a supervisor (the Board's leaders or departments: permissions.RELEASE_ROLES) lets a
  refused truck out, with a reason. The refusal's gate exception is marked released, listed with the
  gate's exceptions; the next gate-out of that trip passes the fee rule (once: it crosses)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import VIEW
from cuakhau.core.vnformat import format_vnd
from cuakhau.gates.models import Gate

from .. import permissions
from ..models import (
    Declaration,
    ExceptionReason,
    ExceptionStatus,
    ExitMode,
    GateException,
    GateExitRule,
    Status,
)
from . import reference


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- the Board sets the rule ------------------------------------------------------------------------


@transaction.atomic
def exit_rule_set(
    *, actor, gate: Gate, mode: str, effective_from: datetime.date, decision: str
) -> GateExitRule:
    """Set `gate`'s exit rule from `effective_from` (today or later) on, open-ended. Refused: a day in
    the past, a day on which a rule already in force began (today's rule stands until tomorrow), an
    unknown mode, no decision (the Board's document it follows), or a rule that would change nothing
    (the same mode already in force that day)."""
    if actor is not None and not permissions.may_set_exit_rule(actor):
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
        gate=gate, mode=mode, effective_from=effective_from, decision=decision[:255], created_by=_user(actor)
    )
    audit_record(
        actor=_user(actor),
        action="exit_rule.set",
        obj=rule,
        before=before,
        after=snapshot(rule, ["gate", "mode", "effective_from", "effective_to", "decision"]),
    )
    return rule


# --- at the barrier -----------------------------------------------------------------------------------


def exit_refusal(declaration: Declaration, when: datetime.datetime) -> str:
    """Why the gate's exit rule stops this trip leaving now ("" when it may leave). Called by gate_events
    .apply inside the event's transaction, with the declaration locked."""
    from cuakhau.fees.selectors import exit_standing, provisional_reason

    gate = declaration.gate
    mode = reference.exit_mode(gate, timezone.localdate(when))
    if mode == ExitMode.OPEN:
        return ""
    if declaration.fee_assessment_id is None:
        if not declaration.fee_error:
            return ""  # no fee fell due (no border-gate yard on the way)
        message = _("Chưa tính được phí hạ tầng của chuyến (%(why)s): chưa nộp phí thì chưa được ra.") % {
            "why": declaration.fee_error
        }
    else:
        standing = exit_standing(declaration.fee_assessment_id, credit=mode == ExitMode.DEPOSIT_OR_CREDIT)
        if standing is None or standing.settled:
            return ""
        if mode == ExitMode.DEPOSIT_OR_CREDIT:
            if standing.covered:
                return ""
            message = _(
                "Chưa nộp phí hạ tầng %(amount)s (mã thanh toán %(ref)s); doanh nghiệp không có ký quỹ đủ "
                "và vượt hạn mức nợ được duyệt (nợ %(debt)s, hạn mức %(limit)s)."
            ) % {
                "amount": format_vnd(standing.amount),
                "ref": standing.reference,
                "debt": format_vnd(standing.debt or 0),
                "limit": format_vnd(standing.limit or 0),
            }
        else:
            message = _(
                "Chưa nộp phí hạ tầng %(amount)s (mã thanh toán %(ref)s): cửa khẩu này yêu cầu nộp xong phí "
                "mới được ra. Quét mã VietQR để nộp, hoặc nộp tại quầy thu."
            ) % {"amount": format_vnd(standing.amount), "ref": standing.reference}
    if GateException.objects.filter(
        declaration_id=declaration.pk, reason=ExceptionReason.UNPAID, status=ExceptionStatus.RELEASED
    ).exists():
        return ""  # a supervisor let it out
    if declaration.fee_assessment_id is not None:
        provisional = provisional_reason(declaration.fee_assessment_id)
        if provisional and mode == ExitMode.DEPOSIT_OR_CREDIT:
            message = f"{message} {provisional}"
        elif provisional:
            # Nothing may be collected on it yet: say so instead of asking for a payment.
            message = _(
                "Chưa nộp phí hạ tầng %(amount)s (mã thanh toán %(ref)s) và chưa nộp được: %(why)s Lãnh đạo "
                "Ban có thể cho xe ra, ghi rõ lý do."
            ) % {"amount": format_vnd(standing.amount), "ref": standing.reference, "why": provisional}
    return message[:500]


def payment_due(declaration: Declaration, *, svg: bool = True) -> dict | None:
    """What the barrier and the operator's page show a refused trip: the amount due, its payment
    reference and the VietQR to pay it (fees' payment notice's QR). None when no fee is due."""
    from cuakhau.fees.selectors import exit_standing, payment_qr

    if declaration.fee_assessment_id is None:
        return None
    standing = exit_standing(declaration.fee_assessment_id)
    if standing is None or standing.settled:
        return None
    qr = payment_qr(declaration.fee_assessment_id, svg=svg)
    return {
        "amount_due": standing.amount,
        "reference": standing.reference,
        "vietqr": qr["payload"],
        "bank_bin": qr["bin"],
        "bank_name": qr.get("bank_name", ""),
        "account": qr["account"],
        "account_name": qr["name"],
        "is_demo": bool(qr.get("is_demo")),
        "svg": qr.get("svg", ""),
        "provisional": qr.get("provisional", ""),
    }


# --- a supervisor lets the truck out -----------------------------------------------------------------


@transaction.atomic
def exit_release(*, actor, declaration: Declaration, reason: str) -> list[GateException]:
    """Let out a trip its gate's exit rule refused for an unpaid fee: the Board's leaders or departments,
    with a reason. Every open refusal of the trip is marked released (listed with the gate's
    exceptions); the trip's next gate-out passes the fee rule."""
    if actor is not None and not permissions.may_release_exit(actor):
        raise ServiceError(
            _("Chỉ lãnh đạo Ban hoặc phòng chuyên môn của Ban được cho xe chưa nộp phí ra."),
            field="",
            code="forbidden",
            status=403,
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Cần ghi lý do cho xe ra khi chưa nộp phí."), field="reason")
    queryset = Declaration.objects.all() if actor is None else Declaration.objects.for_user(actor, VIEW)
    locked = queryset.select_for_update(of=("self",)).filter(pk=declaration.pk).first()
    if locked is None:
        raise NotFound(_("Không tìm thấy tờ khai hoặc bạn không có quyền thao tác."))
    if locked.status not in (Status.IN_YARD, Status.CALLED):
        raise ServiceError(
            _("Tờ khai %(n)s đang ở trạng thái “%(s)s”: không có xe chờ ra.")
            % {"n": locked.number, "s": locked.get_status_display()},
            field="declaration",
            status=409,
        )
    refusals = list(
        GateException.objects.select_for_update()
        .filter(declaration=locked, reason=ExceptionReason.UNPAID, status=ExceptionStatus.OPEN)
        .order_by("created_at")
    )
    if not refusals:
        raise ServiceError(
            _("Xe của tờ khai %(n)s chưa bị từ chối ra vì phí: không có gì để cho ra.")
            % {"n": locked.number},
            field="declaration",
            status=409,
        )
    now = timezone.now()
    for exception in refusals:
        exception.status, exception.note = ExceptionStatus.RELEASED, reason[:500]
        exception.resolved_by, exception.resolved_at = _user(actor), now
        exception.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    audit_record(
        actor=_user(actor),
        action="declaration.exit_release",
        obj=locked,
        before={"exceptions": [e.pk for e in refusals], "status": ExceptionStatus.OPEN},
        after={
            "exceptions": [e.pk for e in refusals],
            "status": ExceptionStatus.RELEASED,
            "reason": reason[:500],
            "fee_assessment": locked.fee_assessment_id,
        },
    )
    return refusals

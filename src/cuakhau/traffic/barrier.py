"""At the barrier: what a gate's exit rule says of a trip about to leave (reads; the gate event's
transaction calls them with the declaration locked).

* `exit_refusal`: at gate-out, once every check has passed, whether the gate's rule on that day lets
  the trip's fee stand: `must_pay` wants it paid (or exempt); `deposit_or_credit` also lets the vehicle
  leave owing when the payer's deposit covers the fee or its debts stay within the limit the Board
  approved (fees.credit); `none` asks nothing. A fee that could not be assessed (no tariff, say) is not
  a fee paid: it is refused too, with the reason. Where no rule is set, the strictest applies
  (models.exits.DEFAULT_EXIT_MODE). Cost on the usual path: the rule from the per-process reference
  cache, and one statement for the fee's status.
* `payment_due`: the amount due and the VietQR to pay it, for the device's answer and the operator's page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.vnformat import format_vnd

from . import reference
from .models import Declaration, ExceptionReason, ExceptionStatus, ExitMode, GateException


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

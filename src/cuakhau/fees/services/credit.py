"""A payer's approved debt limit (see fees.credit for what a gate asks of it)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import policy
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.roles import UnitKind
from cuakhau.core.service import service

from ..models import PayerCreditLimit


@service
def credit_limit_set(*, actor, payer_unit, amount: int, decision: str) -> PayerCreditLimit:
    """Approve (or change, or with 0 withdraw) how much `payer_unit` may owe in unpaid fees where a
    gate's exit rule lets enterprises leave owing. The decision (the Board's document) is required."""
    if actor is not None and not policy.may(actor, "fees.set_credit"):
        raise ServiceError(
            _("Chỉ phòng chuyên môn của Ban duyệt hạn mức nợ phí."), field="", code="forbidden", status=403
        )
    if payer_unit is None or payer_unit.kind != UnitKind.ENTERPRISE:
        raise ServiceError(_("Hạn mức nợ chỉ đặt cho doanh nghiệp nộp phí."), field="payer_unit")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ServiceError(_("Hạn mức phải là số đồng nguyên, không âm."), field="amount")
    decision = " ".join((decision or "").split())
    if not decision:
        raise ServiceError(_("Ghi căn cứ duyệt hạn mức (số, ngày văn bản của Ban)."), field="decision")
    limit = PayerCreditLimit.objects.select_for_update().filter(pk=payer_unit.pk).first()
    before = snapshot(limit, ["amount", "decision"]) if limit else None
    if limit is None:
        limit = PayerCreditLimit(unit=payer_unit)
    limit.amount, limit.decision = amount, decision[:255]
    limit.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    limit.approved_at = timezone.now()
    limit.save()
    audit_record(
        action="fees.credit_limit.set",
        obj=limit,
        actor=actor,
        before=before,
        after=snapshot(limit, ["amount", "decision"]),
    )
    return limit

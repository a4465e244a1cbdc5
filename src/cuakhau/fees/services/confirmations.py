"""The Board's confirmation of an illustrative rule against its resolution (see fees.confirmations)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import policy
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.service import service

from ..models import AssessmentStatus, FeeAssessment, PayerBalance, RuleConfirmation, TariffRule, TariffStatus
from .balances import _settle_debts_from_balance

CITATION_MAX = 255  # RuleConfirmation.citation


@service
def rule_confirm(*, actor, rule: TariffRule, citation: str, note: str = "") -> RuleConfirmation:
    """Confirm an illustrative rule of a published tariff against its resolution (Law on Fees and
    Charges 97/2015/QH13 art. 21: the rate is the one the provincial People's Council sets; the Board
    only collects it): who, when, and the article, item or row of the resolution cited. The rule itself
    is not changed (a published tariff never is); from now on its assessments may be receipted, and the
    due fees it held back that a payer's deposit covers are settled from the deposit at once.

    One transaction; one `fees.rule.confirm` event for the confirmation (each receipt the deposits then
    pay is its own document with its own `fees.receipt.issue` event, as at gate-in)."""
    confirmation = _confirm(actor=actor, rule=rule, citation=citation, note=note)
    _settle_deposits(confirmation.rule, actor)
    return confirmation


def _confirm(*, actor, rule: TariffRule, citation: str, note: str) -> RuleConfirmation:
    if actor is None or not policy.may(actor, "fees.confirm"):
        raise NotFound(_("Không tìm thấy quy tắc thu phí."), field="rule")
    locked = (
        TariffRule.objects.select_for_update(of=("self",))
        .select_related("tariff__resolution")
        .filter(pk=rule.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Không tìm thấy quy tắc thu phí."), field="rule")
    if locked.tariff.status == TariffStatus.DRAFT:
        raise ServiceError(
            _("Biểu phí %(code)s còn là dự thảo: sửa trực tiếp giá trị của quy tắc rồi ban hành.")
            % {"code": locked.tariff.code},
            field="rule",
        )
    if not locked.is_demo:
        raise ServiceError(
            _("Quy tắc %(key)s không phải giá trị minh họa: không cần xác nhận.") % {"key": locked.key},
            field="rule",
        )
    if RuleConfirmation.objects.filter(rule=locked).exists():
        raise ServiceError(_("Quy tắc %(key)s đã được xác nhận.") % {"key": locked.key}, field="rule")
    citation = " ".join((citation or "").split())
    if not citation:
        raise ServiceError(
            _("Ghi căn cứ: điều, khoản, mục hoặc dòng của nghị quyết %(number)s quy định mức thu này.")
            % {"number": locked.tariff.resolution.number},
            field="citation",
        )
    if len(citation) > CITATION_MAX:
        raise ServiceError(_("Căn cứ tối đa 255 ký tự."), field="citation")
    confirmation = RuleConfirmation.objects.create(
        rule=locked,
        citation=citation,
        note=(note or "").strip(),
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )
    audit_record(
        action="fees.rule.confirm",
        obj=confirmation,
        actor=actor,
        after=snapshot(confirmation)
        | {
            "tariff": str(locked.tariff),
            "resolution": locked.tariff.resolution.number,
            "rule": snapshot(locked, ["key", "label", "kind", "basis", "amount", "multiplier_percent"]),
        },
    )
    return confirmation


def _settle_deposits(rule: TariffRule, actor) -> None:
    """Pay from their deposits the due fees of this tariff whose payers have money on deposit (the
    settling skips what is still provisional)."""
    payers = (
        FeeAssessment.objects.filter(tariff_id=rule.tariff_id, status=AssessmentStatus.DUE)
        .filter(payer_unit_id__in=PayerBalance.objects.filter(balance__gt=0).values("unit_id"))
        .values_list("payer_unit_id", flat=True)
        .distinct()
        .order_by("payer_unit_id")
    )
    for payer_unit_id in list(payers):
        _settle_debts_from_balance(payer_unit_id, actor)

"""Illustrative rates and their confirmation: a receipt is legal only on a confirmed rate.

A tariff rule entered as illustrative (`TariffRule.is_demo`: a row of the resolution the Board has not
yet entered from its text, the shipped Lạng Sơn 09/2025 demo table) gives a *provisional* assessment.
An assessment is provisional while any rule it used (the rate, each multiplier, the exemption) is
illustrative and has no `RuleConfirmation`. This is asked when a receipt is attempted, against the
confirmations as they are then, never from a flag frozen at gate-in: a confirmation made later makes
the rule's earlier assessments receiptable.

What happens to a provisional assessment (Decree 254/2026 art. 23: the receipt is the document the
collector hands over when it receives a fee, so no money is taken that cannot be receipted):
* every path that issues a receipt refuses, naming the rules not confirmed: cash at the counter, the
  debit from a prepaid deposit at gate-in (the fee stays due and the deposit untouched), a bank
  transfer matched from a statement (the line stays unmatched with the reason, for staff to resolve
  once the rule is confirmed), and a replacement receipt;
* the payment notice says the amount is provisional and carries no VietQR;
* confirming a rule (fees.services.rule_confirm) settles, from their deposits, the due fees of payers whose deposit covers them and
  that the confirmation made receiptable, as their gate-in would have.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

from .models import FeeAssessment, TariffRule


def used_rule_keys(assessment: FeeAssessment) -> list[str]:
    """The keys of every rule the assessment used, from its stored explanation: each part's rate or
    exemption and its multipliers. An assessment written without parts (synthetic data) used its
    `rule_key`."""
    parts = (assessment.explanation or {}).get("parts")
    if not parts:
        return [assessment.rule_key] if assessment.rule_key else []
    keys = []
    for part in parts:
        keys.append(part.get("rule_key", ""))
        keys.extend(m.get("key", "") for m in part.get("multipliers") or ())
    return list(dict.fromkeys(k for k in keys if k))


def unconfirmed_rules(assessment: FeeAssessment) -> list[TariffRule]:
    """The illustrative rules the assessment used that no one has confirmed yet ([] when receiptable).
    An assessment whose engine found no illustrative value needs no query: rules of a published tariff
    never change, so what it used then is what it used."""
    explanation = assessment.explanation or {}
    if explanation.get("parts") and explanation.get("is_demo") is False:
        return []
    keys = used_rule_keys(assessment)
    if not keys:
        return []
    return list(
        TariffRule.objects.filter(tariff_id=assessment.tariff_id, key__in=keys, is_demo=True)
        .filter(confirmation__isnull=True)
        .order_by("sort_order", "id")
    )


def unconfirmed_keys_of(assessments) -> dict[int, list[str]]:
    """For many assessments at once (a list page, the API): each one's unconfirmed illustrative rule
    keys, in one query for them all."""
    assessments = list(assessments)
    used = {a.pk: used_rule_keys(a) for a in assessments if a.amount}
    keys = {k for ks in used.values() for k in ks}
    if not keys:
        return {a.pk: [] for a in assessments}
    pending = set(
        TariffRule.objects.filter(
            tariff_id__in={a.tariff_id for a in assessments},
            key__in=keys,
            is_demo=True,
            confirmation__isnull=True,
        ).values_list("tariff_id", "key")
    )
    return {a.pk: [k for k in used.get(a.pk, []) if (a.tariff_id, k) in pending] for a in assessments}


def is_provisional(assessment: FeeAssessment) -> bool:
    return assessment.amount > 0 and bool(unconfirmed_rules(assessment))


def provisional_reason(
    assessment: FeeAssessment, rules: list[TariffRule] | None = None, *, short: bool = False
) -> str:
    """Why no receipt may be issued on `assessment` ('' when it may); `short` for a statement line."""
    rules = unconfirmed_rules(assessment) if rules is None else rules
    if not rules:
        return ""
    if short:
        return _(
            "Khoản phí %(ref)s là tạm tính (quy tắc %(rules)s chưa được Ban xác nhận): chưa lập biên lai."
        ) % {
            "ref": assessment.payment_reference,
            "rules": ", ".join(r.key for r in rules),
        }
    return _(
        "Khoản phí %(ref)s là tạm tính: tính theo giá trị minh họa của quy tắc %(rules)s (biểu phí "
        "%(tariff)s) chưa được Ban xác nhận theo nghị quyết. Biên lai chỉ được lập sau khi cán bộ của Ban "
        "xác nhận các quy tắc này."
    ) % {
        "ref": assessment.payment_reference,
        "rules": ", ".join(r.key for r in rules),
        "tariff": f"{assessment.tariff_code} v{assessment.tariff_version}",
    }


def ensure_receiptable(assessment: FeeAssessment) -> None:
    """Refuse (ServiceError on `assessment`, 409) a receipt on a provisional assessment."""
    reason = provisional_reason(assessment)
    if reason:
        raise ServiceError(reason, field="assessment", code="provisional", status=409)

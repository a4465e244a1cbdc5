"""The assessment of a trip's fee at gate-in (`fee_assess`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError

# --- assessment at gate-in ------------------------------------------------------------------------

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed into bank apps


def _new_payment_reference() -> str:
    """A fresh reference. Not checked here: the unique index is the check, and `fee_assess` draws
    again in the rare case it refuses one (32^8 ≈ 10^12 references)."""
    import secrets

    return "PHI" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _charge_json(charge) -> dict:
    from dataclasses import asdict

    from cuakhau.core.audit import jsonable

    return jsonable(asdict(charge))


def fee_assess(
    *,
    actor,
    charge,
    gate_code: str,
    payer_unit_id: int | None,
    source: str,
    source_id: str,
    source_label: str = "",
    gate=None,
    payer_unit=None,
):
    """Assess the fee for one trip at gate-in (the fee falls due when the vehicle enters the border-gate
    yard; Law on Fees and Charges 97/2015/QH13 art. 21 and the province's resolution, e.g. Lạng Sơn
    09/2025/NQ-HĐND), by the tariff version in force on the day of charge.

    Idempotent on (source, source_id): a replayed gate-in returns the first assessment and changes
    nothing. If the payer's prepaid balance covers the fee, it is settled and receipted in the same
    transaction (see `receipt_issue`), so a replay also returns the same receipt.

    A caller that has already loaded the gate (with code `gate_code`) or the payer's unit in its
    transaction may pass them as `gate` / `payer_unit`, which spares reading them again.

    Anyone whose gate-in reaches it may assess (a gate camera's token, an operator, the system: the fee
    falls due by law, not by anyone's decision), so it asks no permission. Not `@service`: it joins the
    gate event's transaction without a savepoint (the gate-in's hot path), and outermost it opens its
    own transaction (`atomic(savepoint=False)` below)."""
    from cuakhau.core import plainsql
    from cuakhau.core.models import Unit
    from cuakhau.gates.models import Gate

    from ..formatting import explain
    from ..models import AssessmentStatus, FeeAssessment
    from ..selectors import fee_quote

    source, source_id = (source or "").strip(), str(source_id or "").strip()
    if not source or not source_id:
        raise ServiceError(_("Cần nguồn và mã nguồn của khoản phí (khóa chống trùng)."), field="source")
    if gate is None or gate.code != gate_code:
        gate = Gate.objects.filter(code=gate_code).first()
    if gate is None:
        raise ServiceError(_("Không có cửa khẩu mã %(code)s.") % {"code": gate_code}, field="gate_code")
    if payer_unit is not None and payer_unit.pk == payer_unit_id:
        pass  # loaded by the caller: it exists
    elif payer_unit_id is not None and not Unit.objects.filter(pk=payer_unit_id).exists():
        raise ServiceError(
            _("Không có đơn vị nộp phí %(id)s.") % {"id": payer_unit_id}, field="payer_unit_id"
        )
    quote, tariff = fee_quote(charge)
    charged_on = charge.on or timezone.localdate()
    explanation = quote.as_dict() | {"lines": explain(quote)}
    charge_data = _charge_json(charge)
    created_by = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    # No lookup first: the insert leaves a repeat of (source, source_id) to the unique index, without
    # a savepoint (ON CONFLICT DO NOTHING), and only then reads the assessment already there. Everything
    # that can refuse (ServiceError) does so above, before anything is written, so no savepoint is needed
    # for a caller that records the refusal and goes on (the gate-in does).
    with transaction.atomic(savepoint=False):
        for _attempt in range(20):
            assessment = FeeAssessment(
                source=source,
                source_id=source_id,
                source_label=source_label[:255],
                gate=gate,
                payer_unit_id=payer_unit_id,
                charged_on=charged_on,
                tariff=tariff,
                tariff_code=quote.tariff_code,
                tariff_version=quote.tariff_version,
                flow=charge.flow,
                rule_key=quote.parts[0].rule_key if quote.parts else "",
                amount=quote.amount,
                explanation=explanation,
                charge=charge_data,
                status=AssessmentStatus.EXEMPT if quote.amount == 0 else AssessmentStatus.DUE,
                payment_reference=_new_payment_reference(),
                created_by=created_by,
            )
            # One INSERT ... ON CONFLICT DO NOTHING, built once from the model (core.plainsql): no
            # lookup before it and no savepoint; nothing listens to FeeAssessment's signals.
            if plainsql.insert(assessment, ignore_conflicts=True) is None:
                # Assessed before (a replay), or by a concurrent gate-in that committed first: that one
                # is the assessment. Otherwise the reference drawn was taken: draw another.
                existing = FeeAssessment.objects.filter(source=source, source_id=source_id).first()
                if existing is not None:
                    return existing
                continue
            audit_record(
                action="fees.assessment.assess",
                obj=assessment,
                actor=actor,
                after=snapshot(
                    assessment,
                    [
                        "source",
                        "source_id",
                        "gate",
                        "payer_unit",
                        "charged_on",
                        "tariff_code",
                        "tariff_version",
                        "amount",
                        "status",
                        "payment_reference",
                    ],
                ),
            )
            _after_assess(assessment, actor)
            return assessment
    raise RuntimeError("could not draw a free payment reference")  # pragma: no cover


def _after_assess(assessment, actor) -> None:
    """Settle from the payer's prepaid deposit at gate-in when it covers the fee (see receipts.py)."""
    from .balances import _settle_from_balance

    _settle_from_balance(assessment, actor)

"""Writes to the tariffs. Each function is one transaction with one audit event.

Legal basis: Law on Fees and Charges 97/2015/QH13, art. 21 (the provincial People's Council sets the fee
for using infrastructure works in border-gate areas by resolution). A tariff in force is never edited in
place: it is replaced by a new version from a given day, so every past charge can be re-explained by the
version that applied on its day.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.context import current
from cuakhau.core.errors import ServiceError

from .engine import FLOWS, GOODS
from .models import (
    Basis,
    MixedLoadRule,
    Origin,
    Resolution,
    RuleKind,
    Tariff,
    TariffRule,
    TariffStatus,
    VehicleClass,
)

RULE_FIELDS = [
    "key",
    "section",
    "label",
    "kind",
    "flows",
    "goods",
    "vehicle_classes",
    "origin",
    "taxable",
    "delivered_inland",
    "transship_only",
    "basis",
    "amount",
    "multiplier_percent",
    "precedence",
    "is_demo",
    "source",
    "sort_order",
]
REVISABLE_RULE_FIELDS = ("amount", "multiplier_percent", "is_demo")


def _actor():
    actor = current().actor
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _validate_rule(rule: dict[str, Any]) -> None:
    key = rule.get("key", "")
    where = {"key": key}
    if rule.get("kind", RuleKind.RATE) not in RuleKind.values:
        raise ServiceError(_("Quy tắc %(key)s: loại quy tắc không hợp lệ.") % where, field="rules")
    for name, allowed in (("flows", FLOWS), ("goods", GOODS), ("vehicle_classes", VehicleClass.values)):
        bad = [v for v in rule.get(name) or [] if v not in allowed]
        if bad:
            raise ServiceError(
                _("Quy tắc %(key)s: giá trị không hợp lệ %(bad)s.") % (where | {"bad": bad}), field="rules"
            )
    if rule.get("origin") and rule["origin"] not in Origin.values:
        raise ServiceError(_("Quy tắc %(key)s: xuất xứ không hợp lệ.") % where, field="rules")
    kind = rule.get("kind", RuleKind.RATE)
    if kind == RuleKind.RATE:
        if rule.get("basis") not in Basis.values:
            raise ServiceError(_("Quy tắc %(key)s: cần đơn vị tính.") % where, field="rules")
        amount = rule.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise ServiceError(
                _("Quy tắc %(key)s: mức thu phải là số đồng nguyên, không âm.") % where, field=f"amount_{key}"
            )
    if kind == RuleKind.MULTIPLIER:
        percent = rule.get("multiplier_percent")
        if not isinstance(percent, int) or isinstance(percent, bool) or not 1 <= percent <= 10000:
            raise ServiceError(
                _("Quy tắc %(key)s: hệ số phải là số phần trăm nguyên từ 1 đến 10.000.") % where,
                field=f"multiplier_percent_{key}",
            )


def _validate_tariff(*, mixed_load_rule: str, cap_per_trip: int | None) -> None:
    if mixed_load_rule not in MixedLoadRule.values:
        raise ServiceError(_("Quy tắc hàng ghép không hợp lệ."), field="mixed_load_rule")
    if cap_per_trip is not None and (not isinstance(cap_per_trip, int) or cap_per_trip <= 0):
        raise ServiceError(
            _("Mức thu tối đa mỗi lượt phải là số đồng nguyên dương hoặc để trống."), field="cap_per_trip"
        )


def _rules_snapshot(tariff: Tariff) -> list[dict]:
    return [snapshot(r, RULE_FIELDS) for r in tariff.rules.all()]


@transaction.atomic
def resolution_ensure(*, data: dict[str, Any]) -> Resolution:
    """The resolution with this number, created if new (reference data; an existing one is kept)."""
    resolution = Resolution.objects.filter(number=data["number"]).first()
    if resolution is not None:
        return resolution
    resolution = Resolution(**data)
    resolution.full_clean()
    resolution.save()
    audit_record(action="resolution.create", obj=resolution, after=snapshot(resolution))
    return resolution


@transaction.atomic
def tariff_create(
    *,
    resolution: Resolution,
    code: str,
    name: str,
    province: str,
    rules: list[dict[str, Any]],
    effective_from: datetime.date | None = None,
    mixed_load_rule: str = MixedLoadRule.HIGHEST_DECLARED_VALUE,
    cap_per_trip: int | None = None,
    change_note: str = "",
) -> Tariff:
    """A new tariff (version 1), in force from the resolution's effective date."""
    if not code or Tariff.objects.filter(code=code).exists():
        raise ServiceError(_("Mã biểu phí %(code)s đã có hoặc để trống.") % {"code": code}, field="code")
    _validate_tariff(mixed_load_rule=mixed_load_rule, cap_per_trip=cap_per_trip)
    keys = [r["key"] for r in rules]
    if len(keys) != len(set(keys)):
        raise ServiceError(_("Mã quy tắc bị trùng."), field="rules")
    for rule in rules:
        _validate_rule(rule)
    tariff = Tariff.objects.create(
        code=code,
        version=1,
        name=name,
        province=province,
        resolution=resolution,
        status=TariffStatus.DRAFT,
        effective_from=effective_from or resolution.effective_from,
        effective_to=resolution.effective_to,
        mixed_load_rule=mixed_load_rule,
        cap_per_trip=cap_per_trip,
        change_note=change_note,
        created_by=_actor(),
    )
    for i, rule in enumerate(rules):
        TariffRule.objects.create(tariff=tariff, **({"sort_order": i * 10} | rule))
    tariff.status = TariffStatus.IN_FORCE
    tariff.has_demo_values = any(r.get("is_demo") for r in rules)
    tariff.save(update_fields=["status", "has_demo_values"])
    audit_record(
        action="tariff.create", obj=tariff, after=snapshot(tariff) | {"rules": _rules_snapshot(tariff)}
    )
    return tariff


@transaction.atomic
def tariff_revise(
    *,
    tariff: Tariff,
    effective_from: datetime.date,
    change_note: str,
    rule_changes: dict[str, dict[str, Any]] | None = None,
    cap_per_trip: int | None | str = "keep",
    mixed_load_rule: str = "",
) -> Tariff:
    """A new version of a tariff in force, replacing it from `effective_from`.

    The version in force is never edited: its rules stay as they were, it is marked replaced and applies
    to charges dated before `effective_from`. `rule_changes` maps a rule key to new values of
    amount / multiplier_percent / is_demo. Pass cap_per_trip=None to remove the cap."""
    current_version = Tariff.objects.select_for_update().get(pk=tariff.pk)
    if current_version.status != TariffStatus.IN_FORCE:
        raise ServiceError(_("Chỉ sửa đổi được phiên bản đang hiệu lực của biểu phí."), field="tariff")
    if not (change_note or "").strip():
        raise ServiceError(_("Ghi rõ lý do và căn cứ của việc sửa đổi."), field="change_note")
    if not isinstance(effective_from, datetime.date) or effective_from <= current_version.effective_from:
        raise ServiceError(
            _("Ngày áp dụng phải sau ngày áp dụng của phiên bản hiện hành (%(day)s).")
            % {"day": current_version.effective_from.strftime("%d/%m/%Y")},
            field="effective_from",
        )
    if current_version.effective_to and effective_from >= current_version.effective_to:
        raise ServiceError(
            _("Ngày áp dụng phải trước ngày hết hiệu lực %(day)s.")
            % {"day": current_version.effective_to.strftime("%d/%m/%Y")},
            field="effective_from",
        )
    rule_changes = rule_changes or {}
    old_rules = list(current_version.rules.all())
    known = {r.key for r in old_rules}
    unknown = sorted(set(rule_changes) - known)
    if unknown:
        raise ServiceError(
            _("Không có quy tắc %(keys)s trong biểu phí.") % {"keys": ", ".join(unknown)}, field="rules"
        )
    new_cap = current_version.cap_per_trip if cap_per_trip == "keep" else cap_per_trip
    new_mixed = mixed_load_rule or current_version.mixed_load_rule
    _validate_tariff(mixed_load_rule=new_mixed, cap_per_trip=new_cap)

    new_rules = []
    changed = new_cap != current_version.cap_per_trip or new_mixed != current_version.mixed_load_rule
    for rule in old_rules:
        data = snapshot(rule, RULE_FIELDS)
        for name, value in (rule_changes.get(rule.key) or {}).items():
            if name not in REVISABLE_RULE_FIELDS:
                raise ServiceError(
                    _("Không sửa được trường %(name)s của quy tắc.") % {"name": name}, field="rules"
                )
            if data[name] != value:
                data[name] = value
                changed = True
        _validate_rule(data)
        new_rules.append(data)
    if not changed:
        raise ServiceError(_("Chưa có thay đổi nào so với phiên bản hiện hành."), field="rules")

    version = (Tariff.objects.filter(code=current_version.code).aggregate(v=Max("version"))["v"] or 0) + 1
    before = snapshot(current_version)
    current_version.status = TariffStatus.REPLACED
    old_end = current_version.effective_to
    current_version.effective_to = effective_from
    current_version.save(update_fields=["status", "effective_to"])
    new = Tariff.objects.create(
        code=current_version.code,
        version=version,
        name=current_version.name,
        province=current_version.province,
        resolution=current_version.resolution,
        status=TariffStatus.DRAFT,
        effective_from=effective_from,
        effective_to=old_end,
        mixed_load_rule=new_mixed,
        cap_per_trip=new_cap,
        previous=current_version,
        change_note=change_note.strip(),
        created_by=_actor(),
    )
    for data in new_rules:
        TariffRule.objects.create(tariff=new, **data)
    new.status = TariffStatus.IN_FORCE
    new.has_demo_values = any(r["is_demo"] for r in new_rules)
    new.save(update_fields=["status", "has_demo_values"])
    audit_record(
        action="tariff.revise",
        obj=new,
        before=before | {"rules": [snapshot(r, RULE_FIELDS) for r in old_rules]},
        after=snapshot(new) | {"rules": new_rules, "replaces": str(current_version)},
    )
    return new


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
    transaction may pass them as `gate` / `payer_unit`, which spares reading them again."""
    from django.db import IntegrityError

    from cuakhau.core.models import Unit
    from cuakhau.gates.models import Gate

    from .formatting import explain
    from .models import AssessmentStatus, FeeAssessment
    from .selectors import fee_quote

    source, source_id = (source or "").strip(), str(source_id or "").strip()
    if not source or not source_id:
        raise ServiceError(_("Cần nguồn và mã nguồn của khoản phí (khóa chống trùng)."), field="source")
    existing = FeeAssessment.objects.filter(source=source, source_id=source_id).first()
    if existing is not None:
        return existing
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
    charged_on = charge.on or timezone_localdate()
    explanation = quote.as_dict() | {"lines": explain(quote)}
    charge_data = _charge_json(charge)
    for _attempt in range(20):
        reference = _new_payment_reference()
        try:
            with transaction.atomic():
                assessment = FeeAssessment.objects.create(
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
                    payment_reference=reference,
                    created_by=_actor(),
                )
                audit_record(
                    action="fee.assess",
                    obj=assessment,
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
                _after_assess(assessment)
        except IntegrityError:
            # Two gate-in calls raced; the other committed first. Its assessment is the one.
            existing = FeeAssessment.objects.filter(source=source, source_id=source_id).first()
            if existing is not None:
                return existing
            if FeeAssessment.objects.filter(payment_reference=reference).exists():
                continue  # the reference drawn was taken: draw another
            raise
        return assessment
    raise RuntimeError("could not draw a free payment reference")  # pragma: no cover


def timezone_localdate():
    from django.utils import timezone

    return timezone.localdate()


def _after_assess(assessment) -> None:
    """Settle from the payer's prepaid deposit at gate-in when it covers the fee (see receipts.py)."""
    from .receipts import settle_from_balance

    settle_from_balance(assessment=assessment)

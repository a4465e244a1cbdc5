"""Writes to the tariffs. Each function is one transaction with one audit event.

Legal basis: Law on Fees and Charges 97/2015/QH13, art. 21 (the provincial People's Council sets the fee
for using infrastructure works in border-gate areas by resolution). A tariff in force is never edited in
place: it is replaced by a new version from a given day, so every past charge can be re-explained by the
version that applied on its day.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import may_add
from cuakhau.core.service import service

from ..actions import RULE_FIELDS, TARIFF_WORKFLOW
from ..engine import FLOWS, GOODS
from ..models import (
    Basis,
    MixedLoadRule,
    Origin,
    Resolution,
    RuleConfirmation,
    RuleKind,
    Tariff,
    TariffRule,
    TariffStatus,
    VehicleClass,
)
from .resolutions import _check_period, _resolution_for

REVISABLE_RULE_FIELDS = ("amount", "multiplier_percent", "is_demo")


def _user(actor):
    """The actor as recorded on a row (created_by): None for the system."""
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


def _clean_rules(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules of a new tariff or a draft, each checked (`_validate_rule`), keys unique."""
    if not rules:
        raise ServiceError(_("Biểu phí cần ít nhất một quy tắc thu."), field="rules")
    keys = [str(r.get("key") or "") for r in rules]
    if any(not k for k in keys):
        raise ServiceError(_("Mỗi quy tắc cần một mã quy tắc."), field="rules")
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ServiceError(
            _("Mã quy tắc bị trùng: %(keys)s.") % {"keys": ", ".join(duplicates)}, field="rules"
        )
    unknown = sorted({name for r in rules for name in r} - set(RULE_FIELDS))
    if unknown:
        raise ServiceError(
            _("Quy tắc có trường không hợp lệ: %(names)s.") % {"names": ", ".join(unknown)}, field="rules"
        )
    for rule in rules:
        if not str(rule.get("label") or "").strip():
            raise ServiceError(_("Quy tắc %(key)s: cần diễn giải.") % {"key": rule["key"]}, field="rules")
        _validate_rule(rule)
    if not any(r.get("kind", RuleKind.RATE) == RuleKind.RATE for r in rules):
        raise ServiceError(_("Biểu phí cần ít nhất một quy tắc mức thu."), field="rules")
    return [{"sort_order": i * 10} | rule for i, rule in enumerate(rules)]


def _write_rules(tariff: Tariff, rules: list[dict[str, Any]]) -> None:
    TariffRule.objects.bulk_create([TariffRule(tariff=tariff, **rule) for rule in rules])
    tariff.has_demo_values = any(r.get("is_demo") for r in rules)
    tariff.save(update_fields=["has_demo_values"])


def _check_header(*, code: str, name: str, province: str, keep_province: str = "") -> None:
    from ..provinces import is_known

    if not code:
        raise ServiceError(_("Cần mã biểu phí."), field="code")
    if not name:
        raise ServiceError(_("Cần tên biểu phí."), field="name")
    if not province:
        raise ServiceError(_("Cần mã tỉnh của biểu phí."), field="province")
    if province != keep_province and not is_known(province):
        raise ServiceError(
            _("Không có tỉnh mã %(code)s: chọn một tỉnh trong danh sách.") % {"code": province},
            field="province",
        )


def _require_tariff_editor(actor) -> None:
    """Tariffs are kept by the Board's departments (the tariffs' CHANGE scope); a signed-in user outside
    it is refused as if the tariff did not exist. The CLI and reference loaders act as the system (None)."""
    if actor is not None and not may_add(actor, Tariff):
        raise NotFound(_("Không tìm thấy biểu phí."), field="tariff")


@service
def tariff_draft_create(
    *,
    actor,
    resolution: dict[str, Any],
    code: str,
    name: str,
    province: str,
    rules: list[dict[str, Any]],
    effective_from: datetime.date | None = None,
    mixed_load_rule: str = MixedLoadRule.HIGHEST_DECLARED_VALUE,
    cap_per_trip: int | None = None,
    change_note: str = "",
) -> Tariff:
    """A new tariff (version 1) entered by staff, as a draft: it applies to no charge until published
    (`tariff_publish`). The resolution that sets it (Law on Fees and Charges 97/2015/QH13 art. 21: the
    provincial People's Council) is created with it, or is the existing one with the same number and
    content. Nothing is written if any field is refused."""
    _require_tariff_editor(actor)
    code, name, province = (code or "").strip().upper(), (name or "").strip(), (province or "").strip()
    _check_header(code=code, name=name, province=province)
    if Tariff.objects.filter(code=code).exists():
        raise ServiceError(
            _("Mã biểu phí %(code)s đã có: sửa đổi biểu phí đó thay vì tạo mới.") % {"code": code},
            field="code",
        )
    _validate_tariff(mixed_load_rule=mixed_load_rule, cap_per_trip=cap_per_trip)
    clean_rules = _clean_rules(rules)
    res = _resolution_for(resolution)
    day = _check_period(res, effective_from)
    tariff = Tariff.objects.create(
        code=code,
        version=1,
        name=name,
        province=province,
        resolution=res,
        status=TariffStatus.DRAFT,
        effective_from=day,
        effective_to=res.effective_to,
        mixed_load_rule=mixed_load_rule,
        cap_per_trip=cap_per_trip,
        change_note=(change_note or "").strip(),
        created_by=_user(actor),
    )
    _write_rules(tariff, clean_rules)
    audit_record(
        action="fees.tariff.draft_create",
        actor=actor,
        obj=tariff,
        after=snapshot(tariff) | {"resolution": snapshot(res), "rules": _rules_snapshot(tariff)},
    )
    return tariff


@service
def tariff_draft_update(
    *,
    actor,
    tariff: Tariff,
    resolution: dict[str, Any],
    name: str,
    province: str,
    rules: list[dict[str, Any]],
    effective_from: datetime.date | None = None,
    mixed_load_rule: str = MixedLoadRule.HIGHEST_DECLARED_VALUE,
    cap_per_trip: int | None = None,
    change_note: str = "",
) -> Tariff:
    """Change a draft before it is published: its resolution (while no other tariff uses it), its terms
    and the whole list of its rules. A published tariff is never changed here (`tariff_revise`)."""
    _require_tariff_editor(actor)
    draft = Tariff.objects.select_for_update().select_related("resolution").get(pk=tariff.pk)
    if draft.status != TariffStatus.DRAFT:
        raise ServiceError(
            _("Biểu phí đã ban hành không sửa trực tiếp được: hãy ban hành phiên bản sửa đổi."),
            field="tariff",
        )
    name, province = (name or "").strip(), (province or "").strip()
    _check_header(code=draft.code, name=name, province=province, keep_province=draft.province)
    _validate_tariff(mixed_load_rule=mixed_load_rule, cap_per_trip=cap_per_trip)
    clean_rules = _clean_rules(rules)
    before = snapshot(draft) | {"resolution": snapshot(draft.resolution), "rules": _rules_snapshot(draft)}
    res = _resolution_for(resolution, own=draft)
    day = _check_period(res, effective_from)
    old_resolution = draft.resolution
    draft.rules.all().delete()
    draft.name, draft.province, draft.resolution = name, province, res
    draft.effective_from, draft.effective_to = day, res.effective_to
    draft.mixed_load_rule, draft.cap_per_trip = mixed_load_rule, cap_per_trip
    draft.change_note = (change_note or "").strip()
    draft.save()
    _write_rules(draft, clean_rules)
    if old_resolution.pk != res.pk and not old_resolution.tariffs.exists():
        old_resolution.delete()  # a draft's own resolution, never published, now unused
    audit_record(
        action="fees.tariff.draft_update",
        actor=actor,
        obj=draft,
        before=before,
        after=snapshot(draft) | {"resolution": snapshot(res), "rules": _rules_snapshot(draft)},
    )
    return draft


@service
def tariff_publish(*, actor, tariff: Tariff) -> Tariff:
    """Publish a draft (the workflow's `publish`: draft → in force): from now on it applies to charges on
    and after its day of effect, and it is never edited in place again (a change is a new version,
    `tariff_revise`). Kept by the Board's departments (the tariff's CHANGE scope)."""
    _require_tariff_editor(actor)
    with TARIFF_WORKFLOW.step(actor, tariff, "publish") as step:
        draft = step.obj
        if Tariff.objects.filter(code=draft.code, status=TariffStatus.IN_FORCE).exists():
            raise ServiceError(
                _("Biểu phí %(code)s đã có phiên bản đang hiệu lực.") % {"code": draft.code}, field="code"
            )
        _clean_rules([snapshot(r, RULE_FIELDS) for r in draft.rules.all()])
    return step.obj


@service
def tariff_create(
    *,
    actor,
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
    """A tariff (version 1) in force at once, from the resolution's effective date: the shipped
    reference tariffs (`reference load`). Staff enter theirs as a draft (`tariff_draft_create`)."""
    _require_tariff_editor(actor)
    if not code or Tariff.objects.filter(code=code).exists():
        raise ServiceError(_("Mã biểu phí %(code)s đã có hoặc để trống.") % {"code": code}, field="code")
    _validate_tariff(mixed_load_rule=mixed_load_rule, cap_per_trip=cap_per_trip)
    clean_rules = _clean_rules(rules)
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
        created_by=_user(actor),
    )
    _write_rules(tariff, clean_rules)
    tariff.status = TariffStatus.IN_FORCE
    tariff.save(update_fields=["status"])
    audit_record(
        action="fees.tariff.create",
        actor=actor,
        obj=tariff,
        after=snapshot(tariff) | {"rules": _rules_snapshot(tariff)},
    )
    return tariff


@service
def tariff_revise(
    *,
    actor,
    tariff: Tariff,
    effective_from: datetime.date,
    change_note: str,
    rule_changes: dict[str, dict[str, Any]] | None = None,
    cap_per_trip: int | None | str = "keep",
    mixed_load_rule: str = "",
) -> Tariff:
    """A new version of a tariff in force, replacing it from `effective_from`.

    The version in force is never edited: its rules stay as they were, it is marked replaced and applies
    to charges dated before `effective_from`. A confirmed illustrative rule copied unchanged keeps its
    confirmation (`_carry_confirmation`). `rule_changes` maps a rule key to new values of
    amount / multiplier_percent / is_demo. Pass cap_per_trip=None to remove the cap."""
    _require_tariff_editor(actor)
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
    confirmed = {
        c.rule.key: c
        for c in RuleConfirmation.objects.filter(rule__tariff=current_version).select_related("rule")
    }
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
        created_by=_user(actor),
    )
    carried = []
    for data in new_rules:
        rule = TariffRule.objects.create(tariff=new, **data)
        if _carry_confirmation(confirmed.get(rule.key), rule, new):
            carried.append(rule.key)
    new.status = TariffStatus.IN_FORCE
    new.has_demo_values = any(r["is_demo"] for r in new_rules)
    new.save(update_fields=["status", "has_demo_values"])
    audit_record(
        action="fees.tariff.revise",
        actor=actor,
        obj=new,
        before=before | {"rules": [snapshot(r, RULE_FIELDS) for r in old_rules]},
        after=snapshot(new)
        | {"rules": new_rules, "replaces": str(current_version), "confirmations_carried": carried},
    )
    return new


def _carry_confirmation(confirmation, rule: TariffRule, tariff: Tariff) -> bool:
    """A confirmed illustrative rule that a revision copies unchanged stays confirmed in the new version
    (the same citation, by the same person, at the same time, noted as carried): the Board confirmed
    that value against the resolution, and the revision did not touch it. A changed value is not."""
    if confirmation is None or not rule.is_demo:
        return False
    old = confirmation.rule
    if (old.amount, old.multiplier_percent) != (rule.amount, rule.multiplier_percent):
        return False
    note = _("Giữ xác nhận của phiên bản %(version)s.") % {"version": old.tariff.version}
    RuleConfirmation.objects.create(
        rule=rule,
        citation=confirmation.citation,
        note=f"{confirmation.note}\n{note}".strip(),
        confirmed_by=confirmation.confirmed_by,
        confirmed_at=confirmation.confirmed_at,
    )
    return True

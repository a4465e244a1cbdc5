"""Reads of tariffs and fee quotes. Quotes read the tariff in force on the day of charge and hand a
plain copy of it to the pure engine."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404

from .engine import Assessment, Charge, RuleSpec, TariffTable, assess
from .models import Tariff, TariffRule, TariffStatus


def zone_province() -> str:
    return getattr(settings, "FEES_PROVINCE", "lang_son")


def tariff_for(*, code: str = "", on=None, province: str = "") -> Tariff:
    """The tariff version in force on `on` (today by default): of tariff `code` if given, else the newest
    tariff of the zone's province. A draft never applies."""
    day = on or timezone.localdate()
    tariffs = Tariff.objects.select_related("resolution").in_force_on(day)
    if code:
        if not Tariff.objects.filter(code=code).exists():
            raise ServiceError(_("Không có biểu phí mã %(code)s.") % {"code": code}, field="tariff")
        tariffs = tariffs.filter(code=code)
    else:
        tariffs = tariffs.filter(province=province or zone_province())
    tariff = tariffs.order_by("-effective_from", "-version").first()
    if tariff is None:
        raise ServiceError(
            _("Không có biểu phí nào có hiệu lực vào ngày %(day)s.") % {"day": day.strftime("%d/%m/%Y")},
            field="on",
        )
    return tariff


def tariff_table(tariff: Tariff) -> TariffTable:
    rules = tuple(
        RuleSpec(
            key=r.key,
            label=r.label,
            kind=r.kind,
            flows=tuple(r.flows),
            goods=tuple(r.goods),
            vehicle_classes=tuple(r.vehicle_classes),
            origin=r.origin,
            taxable=r.taxable,
            delivered_inland=r.delivered_inland,
            transship_only=r.transship_only,
            basis=r.basis,
            amount=r.amount,
            multiplier_percent=r.multiplier_percent,
            precedence=r.precedence,
            is_demo=r.is_demo,
            id=r.pk,
            order=i,
        )
        for i, r in enumerate(tariff.rules.all())
    )
    return TariffTable(
        code=tariff.code,
        version=tariff.version,
        name=tariff.name,
        rules=rules,
        mixed_load_rule=tariff.mixed_load_rule,
        cap_per_trip=tariff.cap_per_trip,
        resolution=tariff.resolution.number,
    )


def fee_quote(charge: Charge) -> tuple[Assessment, Tariff]:
    """The fee for `charge` by the tariff in force on its day of charge (no write)."""
    day = charge.on or timezone.localdate()
    tariff = tariff_for(code=charge.tariff_code, on=day)
    assessment = assess(replace(charge, on=day), tariff_table(tariff))
    return assessment, tariff


def tariff_codes_in_force(on=None) -> list[Tariff]:
    """The versions in force today, one per tariff code (for pickers on public pages)."""
    day = on or timezone.localdate()
    return list(Tariff.objects.select_related("resolution").in_force_on(day).order_by("code", "-version"))


def tariff_list(*, user, q: str = "", status: str = ""):
    tariffs = (
        Tariff.objects.for_user(user)
        .select_related("resolution")
        .annotate(rule_count=Count("rules"), demo_count=Count("rules", filter=Q(rules__is_demo=True)))
    )
    if q:
        tariffs = tariffs.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(resolution__number__icontains=q)
        )
    if status:
        tariffs = tariffs.filter(status=status)
    return tariffs.order_by("code", "-version")


def tariff_detail(*, user, pk: int, action: str = "view") -> Tariff:
    return get_for_user_or_404(
        Tariff.objects.select_related("resolution", "created_by", "previous"), user, action, pk=pk
    )


def tariff_history(*, user, tariff: Tariff) -> list[Tariff]:
    return list(
        Tariff.objects.for_user(user)
        .filter(code=tariff.code)
        .select_related("created_by")
        .order_by("-version")
    )


def rule_changes(*, tariff: Tariff) -> dict[str, dict]:
    """For each rule of `tariff`, what differs from the version it replaced (amount, percent, demo flag)."""
    if tariff.previous_id is None:
        return {}
    before = {r.key: r for r in TariffRule.objects.filter(tariff_id=tariff.previous_id)}
    changes: dict[str, dict] = {}
    for rule in tariff.rules.all():
        old = before.get(rule.key)
        if old is None:
            changes[rule.key] = {"new": True}
            continue
        diff = {
            f: getattr(old, f)
            for f in ("amount", "multiplier_percent", "is_demo")
            if getattr(old, f) != getattr(rule, f)
        }
        if diff:
            changes[rule.key] = diff
    return changes


def in_force_count(user) -> int:
    return Tariff.objects.for_user(user).filter(status=TariffStatus.IN_FORCE).count()

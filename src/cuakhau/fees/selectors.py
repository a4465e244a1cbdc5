"""Reads of tariffs and fee quotes. Quotes read the tariff in force on the day of charge and hand a
plain copy of it to the pure engine."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404

from .engine import Assessment, Charge, RuleSpec, TariffTable, assess
from .models import PayerBalance, Payment, PaymentMethod, Tariff, TariffRule, TariffStatus
from .tariff_cache import table_in_force


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
    tariff, table = table_in_force(code=charge.tariff_code, on=day)
    assessment = assess(replace(charge, on=day), table)
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


def tariff_rules(*, tariff: Tariff):
    """The tariff's rules in order, each with its confirmation (and who made it) when it has one."""
    return tariff.rules.select_related("confirmation__confirmed_by").order_by("sort_order", "id")


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


# --- receipts, payments, revenue -----------------------------------------------------------------


def verify_sequence(*, year: int) -> list[str]:
    """Every gap and duplicate in the year's receipt numbers, series by series ([] when all is well).
    Numbers must run 1..last_number with no hole and no repeat (receipts.md)."""
    from django.db.models import Count

    from .models import Receipt, ReceiptSeries

    problems: list[str] = []
    for series in ReceiptSeries.objects.filter(year=year).order_by("symbol"):
        label = f"{series.form_symbol} {series.symbol}"
        rows = Receipt.objects.filter(series=series)
        dupes = rows.values("number").annotate(n=Count("id")).filter(n__gt=1).order_by("number")
        for d in dupes:
            problems.append(f"{label}: duplicate {d['number']:08d} ({d['n']} receipts)")
        numbers = sorted(set(rows.values_list("number", flat=True)))
        top = max(series.last_number, numbers[-1] if numbers else 0)
        expected = 1
        for n in numbers + [top + 1]:
            if n > expected:
                problems.append(
                    f"{label}: gap {expected:08d}" + (f"-{n - 1:08d}" if n - 1 > expected else "")
                )
            expected = max(expected, n + 1)
        if numbers and numbers[-1] != series.last_number:
            problems.append(f"{label}: counter at {series.last_number}, highest receipt {numbers[-1]}")
        other_year = rows.exclude(issued_on__year=year).count()
        if other_year:
            problems.append(f"{label}: {other_year} receipts dated outside {year}")
    return problems


def assessment_list(*, user, q: str = "", status: str = "", gate: str = ""):
    from .models import FeeAssessment

    rows = FeeAssessment.objects.for_user(user).select_related("gate", "payer_unit")
    if q:
        rows = rows.filter(
            Q(payment_reference__icontains=q)
            | Q(source_label__icontains=q)
            | Q(source_id=q)
            | Q(payer_unit__name__icontains=q)
        )
    if status:
        rows = rows.filter(status=status)
    if gate:
        rows = rows.filter(gate__code=gate)
    return rows.order_by("-created_at", "-id")


def receipt_list(*, user, day=None, q: str = ""):
    from .models import Receipt

    rows = Receipt.objects.for_user(user).select_related("gate", "replaces", "assessment")
    if day:
        rows = rows.filter(issued_on=day)
    if q:
        rows = rows.filter(Q(symbol__icontains=q) | Q(payer_name__icontains=q) | Q(payer_tax_code=q))
    return rows.order_by("-issued_at", "-id")


def receipt_public_lookup(*, symbol: str, number: str, code: str):
    """A receipt by symbol, number and the check code printed on it (no login). All three must match."""
    from .models import Receipt

    symbol = (symbol or "").strip().upper()
    code = (code or "").strip().upper()
    try:
        n = int(str(number or "").strip())
    except ValueError:
        return None
    if not symbol or not code:
        return None
    return (
        Receipt.objects.select_related("replaces", "gate")
        .filter(symbol=symbol, number=n, check_code=code)
        .first()
    )


def enterprise_balances(*, user):
    """Per payer unit: deposit balance and debts (unpaid assessments), for the units the user sees."""
    from django.db.models import Sum

    from .models import AssessmentStatus, FeeAssessment, PayerBalance

    assessments = FeeAssessment.objects.for_user(user).exclude(payer_unit=None)
    debts = dict(
        assessments.filter(status=AssessmentStatus.DUE)
        .values_list("payer_unit")
        .annotate(s=Sum("amount"))
        .values_list("payer_unit", "s")
    )
    units = set(assessments.values_list("payer_unit", flat=True).distinct())
    stored = dict(PayerBalance.objects.for_user(user).filter(unit__in=units).values_list("unit", "balance"))
    from cuakhau.core.models import Unit

    names = dict(Unit.objects.filter(pk__in=units).values_list("pk", "name"))
    rows = [
        {
            "unit_id": u,
            "name": names.get(u, ""),
            "balance": stored.get(u, 0),
            "debt": debts.get(u) or 0,
        }
        for u in units
    ]
    return sorted(rows, key=lambda r: (-r["debt"], r["name"]))


RETAINED_PERCENT = 10  # the centre keeps 10%; 90% goes to the provincial budget, sub-item 2267


def split(total: int) -> tuple[int, int]:
    """(kept by the collecting unit, paid to the budget, sub-item 2267). The budget gets the rounding."""
    kept = total * RETAINED_PERCENT // 100
    return kept, total - kept


def revenue(*, user, date_from, date_to, group: str = "day"):
    """Fees collected (valid receipts, by date of issue) in [date_from, date_to], grouped by day, month,
    year, gate, flow or tariff rule, with the 10%/90% split and growth against the same period a year
    earlier. Each row's `key` is what it is grouped by (a date, a gate's name, a flow's or rule's code);
    `label` is what to show for a gate, flow or rule (a flow's name, in the active language when read)."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncDay, TruncMonth, TruncYear

    from .models import Flow, Receipt, ReceiptStatus

    keys = {
        "day": TruncDay("issued_on"),
        "month": TruncMonth("issued_on"),
        "year": TruncYear("issued_on"),
        "gate": F("gate__name"),
        "flow": F("assessment__flow"),
        "rule": F("assessment__rule_key"),
    }
    if group not in keys:
        raise ServiceError(_("Nhóm theo: day, month, year, gate, flow hoặc rule."), field="group")

    def rows_for(start, end):
        qs = Receipt.objects.for_user(user).filter(
            status=ReceiptStatus.ISSUED, issued_on__gte=start, issued_on__lte=end
        )
        return (
            qs.annotate(k=keys[group])
            .values("k")
            .annotate(total=Sum("amount"), count=Count("id"))
            .order_by("k")
        )

    def shift_year(day, years=-1):
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    current_rows = list(rows_for(date_from, date_to))
    previous = {}
    for row in rows_for(shift_year(date_from), shift_year(date_to)):
        k = row["k"]
        if group in ("day", "month", "year") and k is not None:
            k = shift_year(k.date() if hasattr(k, "date") else k, 1)
        previous[k] = row["total"]
    out = []
    for row in current_rows:
        k = row["k"]
        key = k.date() if hasattr(k, "date") and group in ("day", "month", "year") else k
        prev = previous.get(key)
        kept, budget = split(row["total"])
        out.append(
            {
                "key": key,
                # what a person reads: a flow's name, not its code
                "label": Flow(key).label if group == "flow" and key in Flow.values else key,
                "count": row["count"],
                "total": row["total"],
                "kept": kept,
                "budget": budget,
                "previous": prev,
                "growth": None if not prev else round((row["total"] - prev) * 100 / prev, 1),
            }
        )
    total = sum(r["total"] for r in out)
    prev_total = sum(previous.values()) if previous else 0
    kept, budget = split(total)
    summary = {
        "total": total,
        "kept": kept,
        "budget": budget,
        "count": sum(r["count"] for r in out),
        "previous": prev_total,
        "growth": None if not prev_total else round((total - prev_total) * 100 / prev_total, 1),
    }
    return out, summary


def collected_total(*, date_from, date_to) -> int | None:
    """Fees collected zone-wide (valid receipts by date of issue) in [date_from, date_to], in đồng;
    None when no receipt was issued then. Not scoped: the Board's reports are, and this is the zone's
    figure, not one user's view of it."""
    from django.db.models import Sum

    from .models import Receipt, ReceiptStatus

    return Receipt.objects.filter(
        status=ReceiptStatus.ISSUED, issued_on__gte=date_from, issued_on__lte=date_to
    ).aggregate(total=Sum("amount"))["total"]


def collection_accounts(*, user) -> list[dict]:
    """The collection accounts the user may see, one per gate centre that has its own, then the Board's
    (settings) account that centres without one use."""
    from .documents import bank_account
    from .models import CollectionAccount

    rows = [
        {
            "unit": a.collector_unit.name,
            "bin": a.bank_bin,
            "bank_name": a.bank_name,
            "account": a.account_number,
            "name": a.account_name,
            "is_demo": a.is_demo,
        }
        for a in CollectionAccount.objects.for_user(user).select_related("collector_unit")
    ]
    board = bank_account()
    if board["account"] not in {r["account"] for r in rows}:
        rows.append(board | {"unit": ""})
    return rows


def collecting_units() -> list[dict]:
    """Every active Border Gate Management Centre (a collecting point) with the gates it collects at and the
    account it collects into: its own (`account`), or None when it uses the Board's from settings. For the
    page where the Board's departments keep the accounts; callers check that permission."""
    from cuakhau.core.models import Unit
    from cuakhau.core.roles import UnitKind

    from .models import CollectionAccount

    accounts = {a.collector_unit_id: a for a in CollectionAccount.objects.all()}
    units = (
        Unit.objects.filter(kind=UnitKind.GATE_CENTRE, is_active=True)
        .prefetch_related("gates")
        .order_by("name")
    )
    return [
        {
            "unit": unit,
            "gates": sorted(g.name for g in unit.gates.all()),
            "account": accounts.get(unit.pk),
        }
        for unit in units
    ]


# --- what a gate asks of a trip's fee before the vehicle leaves (traffic's exit rules) -------------

# --- prepaid deposits (written by fees.services.balances) -------------------------------------------


def balance_of(unit_id: int) -> int:
    """Prepaid deposit left: deposits received minus fees debited from it (the stored PayerBalance)."""
    return PayerBalance.objects.filter(pk=unit_id).values_list("balance", flat=True).first() or 0


def _summed_balances(payments) -> dict[int, int]:
    """Per payer unit of these payments: deposits minus debits from the deposit, in one grouped query."""
    rows = (
        payments.filter(Q(is_deposit=True) | Q(method=PaymentMethod.BALANCE))
        .exclude(payer_unit=None)
        .values("payer_unit")
        .annotate(
            deposits=Sum("amount", filter=Q(is_deposit=True)),
            debits=Sum("amount", filter=Q(method=PaymentMethod.BALANCE)),
        )
    )
    return {r["payer_unit"]: (r["deposits"] or 0) - (r["debits"] or 0) for r in rows}


def balance_from_payments(unit_id: int) -> int:
    """The same balance summed over the payer's payments: what the stored one must always equal."""
    return _summed_balances(Payment.objects.filter(payer_unit_id=unit_id)).get(unit_id, 0)


def balances_mismatched() -> list[tuple[int, int, int]]:
    """(unit id, stored balance, balance summed over payments) for every payer where the two differ:
    two queries, whatever the number of payers."""
    stored = dict(PayerBalance.objects.values_list("unit_id", "balance"))
    summed = _summed_balances(Payment.objects.all())
    found = [(u, stored.get(u, 0), summed.get(u, 0)) for u in sorted(set(stored) | set(summed))]
    return [row for row in found if row[1] != row[2]]


from .credit import Standing as Standing  # noqa: E402
from .credit import credit_limit_of as credit_limit_of  # noqa: E402
from .credit import debt_of as debt_of  # noqa: E402
from .credit import exit_standing as exit_standing  # noqa: E402
from .credit import payment_qr as payment_qr  # noqa: E402
from .credit import provisional_reason as provisional_reason  # noqa: E402

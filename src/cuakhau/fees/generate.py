"""Synthetic fees for `cuakhau demo generate` (benchmarks and load tests, never production data).

SYNTHETIC DATA ONLY. These functions bypass the per-row services (`fee_assess`, the receipt issue of
receipts.py) and write with bulk inserts (COPY on PostgreSQL, bulk_create elsewhere): ten years at
2,000 vehicles a day are 7.3 million assessments and receipts, which the services (one transaction,
one tariff lookup and one audit event each) would take days to write. They keep the invariants the
services keep:

* one assessment per (source, source_id), source `traffic.synthetic`, amounts computed by the fee
  engine from the tariff in force on the day of charge (before the zone's first tariff took effect,
  by that first tariff: the synthetic years reach back further than the tariffs entered);
* receipt numbers gapless per collecting point and year, ascending in the order of issue: each
  month is numbered in one transaction from the series' counter row, locked for update and advanced
  in that same transaction (so a crash loses the month, never a number);
* one valid receipt per assessment, and the assessment marked paid with it;
* one audit event per run summarising what it wrote (instead of one per row).

`assessments_bulk` is called by the traffic generator for the trips it writes (traffic calls fees,
never the reverse). `generate_receipts` is the fees generator registered in core.loaders: it receipts
the synthetic assessments still due, month by month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cuakhau.core.audit import audit_record
from cuakhau.core.loaders import analyze, bulk_write, reserve_ids
from cuakhau.core.service import batch
from cuakhau.core.vnformat import amount_in_words

from .engine import Charge, GoodsLine
from .formatting import explain
from .models import (
    AssessmentStatus,
    FeeAssessment,
    Payment,
    PaymentMethod,
    Receipt,
    ReceiptSeries,
    ReceiptStatus,
    Tariff,
)

SOURCE = "traffic.synthetic"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ISSUE_DELAY = dt.timedelta(minutes=3)  # the receipt follows the gate-in by a few minutes


@dataclass(frozen=True, slots=True)
class SyntheticCharge:
    """What traffic's generator tells fees about one trip at gate-in (plain values, no traffic model)."""

    source_id: str
    source_label: str
    gate_id: int
    payer_unit_id: int | None
    at: dt.datetime  # the gate-in moment (aware)
    flow: str
    goods_kind: str
    tonnes: Decimal
    container: int | None
    declared_value_vnd: int


def _reference(pk: int) -> str:
    """PHI + 8 characters, a bijection of the id (unique for ids below 32**8), so that millions of
    references need no existence check."""
    chars = []
    for _ in range(8):
        pk, r = divmod(pk, 32)
        chars.append(REFERENCE_ALPHABET[r])
    return "PHI" + "".join(reversed(chars))


class Quoter:
    """The fee of a synthetic trip by the fee engine, cached per tariff and kind of trip."""

    def __init__(self, province: str = ""):
        from .selectors import tariff_table, zone_province

        self._tariffs = list(
            Tariff.objects.published()
            .filter(province=province or zone_province())
            .select_related("resolution")
            .order_by("effective_from", "version")
        )
        if not self._tariffs:
            from cuakhau.core.errors import ServiceError

            raise ServiceError("no published tariff for the zone: run `cuakhau reference load` first")
        self._tables = {t.pk: tariff_table(t) for t in self._tariffs}
        self._cache: dict[tuple, tuple] = {}

    def tariff_on(self, day: dt.date) -> Tariff:
        chosen = self._tariffs[0]
        for tariff in self._tariffs:
            if tariff.effective_from <= day and (tariff.effective_to is None or day < tariff.effective_to):
                chosen = tariff
        return chosen

    def quote(self, c: SyntheticCharge, day: dt.date):
        from .engine import assess

        tariff = self.tariff_on(day)
        key = (tariff.pk, c.flow, c.goods_kind, c.tonnes, c.container)
        hit = self._cache.get(key)
        if hit is None:
            charge = Charge(
                flow=c.flow,
                goods=(GoodsLine(kind=c.goods_kind, declared_value=c.declared_value_vnd, tonnes=c.tonnes),),
                container=c.container,
                vehicle_tonnes=c.tonnes,
                tariff_code=tariff.code,
                on=max(day, tariff.effective_from),
            )
            result = assess(charge, self._tables[tariff.pk])
            hit = (
                tariff,
                result,
                {"lines": explain(result), "is_demo": result.is_demo, "synthetic": True},
            )
            self._cache[key] = hit
        return hit


def assessments_bulk(charges: list[SyntheticCharge], quoter: Quoter) -> list[int]:
    """Write one due (or exempt) assessment per synthetic trip; returns their ids in order."""
    ids = reserve_ids(FeeAssessment, len(charges))

    def rows():
        for pk, c in zip(ids, charges, strict=True):
            day = timezone.localdate(c.at)
            tariff, result, explanation = quoter.quote(c, day)
            yield (
                pk,
                SOURCE,
                c.source_id,
                c.source_label[:255],
                c.gate_id,
                c.payer_unit_id,
                day,
                tariff.pk,
                result.tariff_code,
                result.tariff_version,
                c.flow,
                result.parts[0].rule_key if result.parts else "",
                result.amount,
                explanation,
                {
                    "flow": c.flow,
                    "goods": [
                        {
                            "kind": c.goods_kind,
                            "declared_value": c.declared_value_vnd,
                            "tonnes": str(c.tonnes),
                        }
                    ],
                    "container": c.container,
                    "on": day.isoformat(),
                    "synthetic": True,
                },
                AssessmentStatus.EXEMPT if result.amount == 0 else AssessmentStatus.DUE,
                _reference(pk),
                c.at,
                None,
            )

    bulk_write(
        FeeAssessment,
        [
            "id",
            "source",
            "source_id",
            "source_label",
            "gate_id",
            "payer_unit_id",
            "charged_on",
            "tariff_id",
            "tariff_code",
            "tariff_version",
            "flow",
            "rule_key",
            "amount",
            "explanation",
            "charge",
            "status",
            "payment_reference",
            "created_at",
            "created_by_id",
        ],
        rows(),
    )
    return ids


RECEIPT_COLUMNS = [
    "id",
    "series_id",
    "number",
    "form_symbol",
    "symbol",
    "name",
    "check_code",
    "assessment_id",
    "gate_id",
    "payer_unit_id",
    "collector_name",
    "collector_tax_code",
    "collector_address",
    "payer_name",
    "payer_tax_code",
    "payer_address",
    "lines",
    "amount",
    "amount_words",
    "method",
    "issued_at",
    "issued_on",
    "issued_by_id",
    "status",
    "replaces_id",
    "replace_reason",
    "signed_xml",
]
PAYMENT_COLUMNS = [
    "method",
    "amount",
    "assessment_id",
    "receipt_id",
    "gate_id",
    "payer_unit_id",
    "is_deposit",
    "reference",
    "received_at",
]


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        first = dt.date(y, m, 1)
        yield max(first, start), min(dt.date(y, m, calendar.monthrange(y, m)[1]), end)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


class _Receipting:
    """Per-run caches: collecting point of each gate, payer and collector details, words of amounts."""

    def __init__(self, seed: int):
        from cuakhau.gates.models import Gate

        from .collecting import FEE_NAME

        self.rnd = random.Random(seed)
        self.fee_name = FEE_NAME
        self.gates = {g.pk: g for g in Gate.objects.all()}
        self.points: dict[int, object] = {}
        self.payers: dict[int | None, dict] = {}
        self.collectors: dict[int, dict] = {}
        self.words: dict[int, str] = {}

    def point(self, gate_id: int):
        from .collecting import collecting_point

        if gate_id not in self.points:
            self.points[gate_id] = collecting_point(self.gates[gate_id])
        return self.points[gate_id]

    def payer(self, unit_id):
        from cuakhau.core.models import Unit

        from .collecting import payer_info

        if unit_id not in self.payers:
            self.payers[unit_id] = payer_info(Unit.objects.filter(pk=unit_id).first() if unit_id else None)
        return self.payers[unit_id]

    def collector(self, unit):
        from .collecting import collector_info

        if unit.pk not in self.collectors:
            self.collectors[unit.pk] = collector_info(unit)
        return self.collectors[unit.pk]

    def in_words(self, amount: int) -> str:
        if amount not in self.words:
            self.words[amount] = amount_in_words(amount)
        return self.words[amount]

    def code(self) -> str:
        return "".join(self.rnd.choices(CODE_ALPHABET, k=10))


def _receipt_month(first: dt.date, last: dt.date, r: _Receipting) -> tuple[int, int]:
    """Receipt the month's synthetic assessments still due, in one transaction. (receipts, amount)"""
    from .services import series_for

    due = (
        FeeAssessment.objects.filter(
            source=SOURCE, status=AssessmentStatus.DUE, charged_on__gte=first, charged_on__lte=last
        )
        .order_by("created_at", "id")
        .values_list(
            "id",
            "gate_id",
            "payer_unit_id",
            "amount",
            "created_at",
            "source_label",
            "tariff_code",
            "tariff_version",
            "rule_key",
            "payment_reference",
        )
    )
    rows = list(due.iterator(chunk_size=20_000))
    if not rows:
        return 0, 0
    # The series (one per collecting point and year) and their counters, locked until commit.
    series: dict[tuple[int, int], ReceiptSeries] = {}
    numbers: dict[int, int] = {}
    plan = []
    for pk, gate_id, payer_id, amount, created_at, label, code, version, rule, ref in rows:
        issued_at = created_at + ISSUE_DELAY
        issued_on = timezone.localdate(issued_at)
        unit = r.point(gate_id)
        key = (unit.pk, issued_on.year)
        if key not in series:
            opened = series_for(actor=None, gate=r.gates[gate_id], year=issued_on.year)
            locked = ReceiptSeries.objects.select_for_update().get(pk=opened.pk)
            series[key] = locked
            numbers[locked.pk] = locked.last_number
        s = series[key]
        numbers[s.pk] += 1
        r.payer(payer_id)  # looked up now: no query may run on the connection during the COPY below
        plan.append(
            (
                pk,
                gate_id,
                payer_id,
                amount,
                issued_at,
                issued_on,
                label,
                code,
                version,
                rule,
                ref,
                s,
                unit,
                numbers[s.pk],
            )
        )
    receipt_ids = reserve_ids(Receipt, len(plan))

    def receipts():
        for rid, p in zip(receipt_ids, plan, strict=True):
            (
                pk,
                gate_id,
                payer_id,
                amount,
                issued_at,
                issued_on,
                label,
                code,
                version,
                rule,
                _ref,
                s,
                unit,
                number,
            ) = p
            collector, payer, words = r.collector(unit), r.payer(payer_id), r.in_words(amount)
            yield (
                rid,
                s.pk,
                number,
                s.form_symbol,
                s.symbol,
                s.name,
                r.code(),
                pk,
                gate_id,
                payer_id,
                collector["name"],
                collector["tax_code"],
                collector["address"],
                payer["name"][:255],
                payer["tax_code"][:14],
                payer["address"][:500],
                [
                    {
                        "name": r.fee_name,
                        "detail": f"{label} — {code} v{version}, {rule}",
                        "amount": amount,
                        "amount_words": words,
                    }
                ],
                amount,
                words,
                PaymentMethod.TRANSFER if pk % 10 < 7 else PaymentMethod.CASH,
                issued_at,
                issued_on,
                None,
                ReceiptStatus.ISSUED,
                None,
                "",
                "",
            )

    bulk_write(Receipt, RECEIPT_COLUMNS, receipts())
    bulk_write(
        Payment,
        PAYMENT_COLUMNS,
        (
            (
                PaymentMethod.TRANSFER if p[0] % 10 < 7 else PaymentMethod.CASH,
                p[3],
                p[0],
                rid,
                p[1],
                p[2],
                False,
                p[10],
                p[4],
            )
            for rid, p in zip(receipt_ids, plan, strict=True)
        ),
    )
    for s in series.values():
        ReceiptSeries.objects.filter(pk=s.pk).update(last_number=numbers[s.pk])
    FeeAssessment.objects.filter(
        source=SOURCE, status=AssessmentStatus.DUE, charged_on__gte=first, charged_on__lte=last
    ).update(status=AssessmentStatus.PAID)
    return len(plan), sum(p[3] for p in plan)


def generate_receipts(
    *, start: dt.date, end: dt.date, vehicles_per_day: int, seed: int = 7, stdout=None
) -> str:
    """The fees generator (registered in core.loaders, after traffic's): e-receipts and payments (70%
    bank transfer, 30% cash) for the synthetic assessments of the days from `start` to `end` that are
    still due, numbered gaplessly per collecting point and year. See the module's docstring."""
    r = _Receipting(seed)
    count = total = 0
    for first, last in _months(start, end):
        with batch():
            n, amount = _receipt_month(first, last, r)
        count, total = count + n, total + amount
        if stdout is not None and n:
            stdout.write(f"  fees {first:%m/%Y}: {n} receipts")
    analyze(Receipt, Payment, FeeAssessment)
    summary = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "receipts": count,
        "amount": total,
        "note": "synthetic data written in bulk, without the per-receipt services",
    }
    with transaction.atomic():
        audit_record(
            action="fees.receipts.generate",
            object_type="fees.receipt",
            object_id=start.isoformat(),
            after=summary,
        )
    return f"{count} receipts and payments, {total} đồng"

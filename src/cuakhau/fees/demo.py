"""Demo data for the collection flow: three weeks of assessments at Hữu Nghị and Tân Thanh, paid in cash at
the counter and by VietQR transfer (reconciled from an imported statement with one unmatched line), a
prepaid deposit settling gate-ins, a closed cashier shift, and a few debts. Idempotent.

The Board's department staff (`chuyenvien`) first confirm three of Lạng Sơn 09/2025's illustrative rows
(the ordinary trucks of 10 tonnes and more, and the 40-foot container in temporary import): trips on
them are collected and receipted; the 20-foot container in transit stays on an unconfirmed row, so its
fees are provisional, shown with the reason, and their transfers wait unmatched on the statement."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from cuakhau.core.context import acting_as
from cuakhau.core.roles import UnitKind
from cuakhau.core.service import batch

from .engine import Charge, GoodsLine

# The illustrative rows the demo's Board has confirmed, with the citation it entered (made up, like the
# rates: the installation is marked a demo and every document it prints says so).
CONFIRMED = {
    "ls-a-10t-18t": "Nghị quyết 09/2025/NQ-HĐND, Phụ lục, mục A, dòng 4 (trình diễn)",
    "ls-a-18t-plus": "Nghị quyết 09/2025/NQ-HĐND, Phụ lục, mục A, dòng 5 (trình diễn)",
    "ls-b-c40": "Nghị quyết 09/2025/NQ-HĐND, Phụ lục, mục B, dòng 7 (trình diễn)",
}

TRIPS = [
    (
        Charge(flow="import", goods=(GoodsLine(kind="vegetables"),), tonnes=Decimal(25)),
        "Xe 20C-123.45 — hoa quả nhập khẩu",
    ),
    (
        Charge(flow="export", goods=(GoodsLine(kind="agricultural"),), tonnes=Decimal(18)),
        "Xe 12C-088.16 — nông sản xuất khẩu",
    ),
    (Charge(flow="temp_import_reexport", container=40), "Container 40 feet tạm nhập tái xuất"),
    (
        Charge(flow="import", goods=(GoodsLine(kind="other"),), tonnes=Decimal(12), delivered_inland=True),
        "Xe 29H-456.78 — hàng nhập vào nội địa",
    ),
    (Charge(flow="transit", container=20), "Container 20 feet quá cảnh"),
]


def load_demo(stdout=None) -> str:
    with batch():
        return _load_demo()


def _load_demo() -> str:
    from cuakhau.core.models import Unit, User
    from cuakhau.gates.models import Gate
    from cuakhau.parties.models import Enterprise

    from .collecting import assessment_account
    from .confirmations import unconfirmed_rules
    from .models import CashierShift, FeeAssessment
    from .services import (
        collection_account_set,
        deposit_record,
        fee_assess,
        payment_collect_cash,
        shift_close,
        statement_import,
    )

    _confirm_rules()
    if FeeAssessment.objects.filter(source="demo").exists():
        return "already loaded"
    cashier = User.objects.filter(username="thungan").first()
    gates = list(Gate.objects.filter(code__in=["HUUNGHI", "TANTHANH"]).order_by("code"))
    enterprises = list(Enterprise.objects.select_related("unit").order_by("pk")[:4])
    if cashier is None or len(gates) < 2 or not enterprises:
        return "skipped: needs the demo users, the gates and the demo enterprises"
    rng = random.Random(2026)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=21)
    huu_nghi = next(g for g in gates if g.code == "HUUNGHI")
    made = []
    statement_rows = []
    deposit_unit = enterprises[-1].unit
    with acting_as(None, channel="cli"):
        # Each centre collects into its own account: made-up numbers, marked as demo on every page.
        for n, centre in enumerate(Unit.objects.filter(kind=UnitKind.GATE_CENTRE).order_by("pk"), start=1):
            collection_account_set(
                actor=None,
                collector_unit=centre,
                bank_bin="970436",
                bank_name="Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)",  # BIN 970436
                account_number=f"10175956{n:02d}",
                account_name=centre.name,  # stored as banks print it; is_demo marks it on every page
                is_demo=True,
            )
    with acting_as(cashier, channel="cli"):
        deposit_record(actor=cashier, payer_unit=deposit_unit, amount=20_000_000, reference="KQ demo")
    for day_offset in range(22):
        day = start + datetime.timedelta(days=day_offset)
        for k in range(rng.randint(2, 4)):
            gate = huu_nghi if k % 3 != 2 else gates[1]
            enterprise = rng.choice(enterprises)
            charge, label = rng.choice(TRIPS)
            charge = Charge(**{**charge.__dict__, "on": day})
            moment = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(7 + k * 2, rng.randint(0, 59)))
            )
            with mock.patch("django.utils.timezone.now", return_value=moment), acting_as(None, channel="cli"):
                a = fee_assess(
                    actor=None,
                    charge=charge,
                    gate_code=gate.code,
                    payer_unit_id=enterprise.unit.pk,
                    source="demo",
                    source_id=f"{day:%Y%m%d}-{k}",
                    source_label=label,
                )
            made.append(a)
            if a.status != "due" or day_offset >= 20:
                continue  # settled from the deposit, or a recent debt left open
            # A provisional fee is never collected at the counter: it is left due (its notice says why),
            # or its transfer arrives anyway and waits unmatched on the statement with the reason.
            provisional = bool(unconfirmed_rules(a))
            if provisional and k % 2:
                continue
            if gate == huu_nghi and k % 2 == 0 and not provisional:
                with (
                    mock.patch(
                        "django.utils.timezone.now", return_value=moment + datetime.timedelta(minutes=5)
                    ),
                    acting_as(cashier, channel="web"),
                ):
                    payment_collect_cash(actor=cashier, assessment_id=a.pk)
            else:
                statement_rows.append(
                    [
                        assessment_account(a)["account"],
                        day.strftime("%d/%m/%Y"),
                        str(a.amount),
                        f"{a.payment_reference} thanh toan phi",
                        f"FT{day:%y%m%d}{k:02d}{a.pk:05d}",
                        enterprise.name,
                    ]
                )
        if day_offset % 7 == 6:
            shift = CashierShift.objects.filter(cashier=cashier, closed_at__isnull=True).first()
            if shift is not None:
                close_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 30)))
                with mock.patch("django.utils.timezone.now", return_value=close_at), acting_as(cashier):
                    expected = sum(p.amount for p in shift.payments.filter(method="cash"))
                    short = 20_000 if day_offset == 13 else 0
                    shift_close(
                        actor=cashier,
                        shift_id=shift.pk,
                        counted_cash=expected - short,
                        note="Thiếu 20.000 đ: trả lại tiền thừa nhầm cho lái xe" if short else "",
                    )
    first_account = statement_rows[0][0] if statement_rows else ""
    statement_rows.append(
        [
            first_account,
            today.strftime("%d/%m/%Y"),
            "350000",
            "CK phi cua khau xe 12C08816",
            "FT-UNMATCHED-1",
            "NGUYEN VAN AN",
        ]
    )
    head = "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch,Người chuyển\n"
    by_account: dict[str, list[list[str]]] = {}
    for account, *row in statement_rows:
        by_account.setdefault(account, []).append(row)
    for account, rows in by_account.items():  # one statement per collection account, as banks send them
        content = (head + "\n".join(",".join(r) for r in rows)).encode("utf-8")
        with acting_as(cashier, channel="web"):
            statement_import(
                actor=cashier,
                file_name=f"sao-ke-vietcombank-{account}-demo.csv",
                content=content,
                bank_account=account,
            )
    return f"{len(made)} demo assessments, {len(by_account)} statements with {len(statement_rows)} lines"


def _confirm_rules() -> None:
    """The Board's department staff confirm CONFIRMED's rules in the tariff in force (once each)."""
    from cuakhau.core.models import User

    from .models import TariffRule, TariffStatus
    from .services import rule_confirm

    staff = User.objects.filter(username="chuyenvien").first()
    if staff is None:
        return
    rules = TariffRule.objects.filter(
        tariff__code="LS-09-2025",
        tariff__status=TariffStatus.IN_FORCE,
        key__in=CONFIRMED,
        is_demo=True,
        confirmation__isnull=True,
    )
    with acting_as(staff, channel="cli"):
        for rule in rules:
            rule_confirm(actor=staff, rule=rule, citation=CONFIRMED[rule.key])

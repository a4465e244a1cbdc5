"""Payments: gate-in against a prepaid deposit, bank statements (CSV and Excel) matched by reference,
unmatched lines, balances and debts, revenue with the 10%/90% split and growth."""

import datetime
import io

import pytest
from django.utils import timezone

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.fees.engine import Charge
from cuakhau.fees.models import AssessmentStatus, FeeAssessment, LineStatus, Payment, Receipt, StatementLine
from cuakhau.fees.selectors import (
    balance_from_payments,
    balance_of,
    balances_mismatched,
    debt_of,
    enterprise_balances,
    revenue,
    split,
)
from cuakhau.fees.services import (
    deposit_record,
    fee_assess,
    payment_collect_cash,
    statement_import,
    statement_line_resolve,
)
from tests.factories import EnterpriseFactory, UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


def csv_bytes(rows):
    head = "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch,Người chuyển\n"
    return (head + "\n".join(",".join(r) for r in rows)).encode("utf-8")


def test_transfer_matched_by_reference_issues_receipt_and_unmatched_are_listed():
    gate, _c = fee_gate()
    enterprise = EnterpriseFactory()
    a = fee_assessment(gate, payer_unit=enterprise.unit, amount=1_200_000)
    b = fee_assessment(gate, amount=500_000)
    data = csv_bytes(
        [
            [
                "02/03/2026",
                "1.200.000",
                f"CT DN thanh toan {a.payment_reference[:6]} {a.payment_reference[6:]}",
                "FT001",
                "CONG TY A",
            ],
            ["02/03/2026", "400000", f"{b.payment_reference} phi", "FT002", "NGUYEN VAN B"],
            ["02/03/2026", "300000", "chuyen tien phi cua khau", "FT003", "TRAN C"],
            ["02/03/2026", "-50000", "phi ngan hang", "FT004", ""],
        ]
    )
    st = statement_import(actor=None, file_name="sao-ke.csv", content=data)
    assert (st.line_count, st.matched_count) == (3, 1)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PAID
    receipt = Receipt.objects.get(assessment=a)
    assert (
        receipt.method == "transfer"
        and Payment.objects.get(receipt=receipt).statement_line.bank_ref == "FT001"
    )
    problems = dict(
        StatementLine.objects.filter(status=LineStatus.UNMATCHED).values_list("bank_ref", "problem")
    )
    assert "thiếu" in problems["FT002"] and "không có mã" in problems["FT003"]
    # the same file again: transactions are counted once
    again = statement_import(actor=None, file_name="sao-ke.csv", content=data)
    assert again.matched_count == 0
    assert StatementLine.objects.filter(status=LineStatus.DUPLICATE).count() == 3
    assert Receipt.objects.count() == 1
    # staff resolve the short payment's line by recording what was done
    line = StatementLine.objects.get(bank_ref="FT003", status=LineStatus.UNMATCHED)
    with pytest.raises(ServiceError):
        statement_line_resolve(actor=None, line_id=line.pk, note="")
    statement_line_resolve(actor=None, line_id=line.pk, note="Hoàn trả người chuyển ngày 03/03")
    assert StatementLine.objects.get(pk=line.pk).status == LineStatus.RESOLVED
    assert AuditEvent.objects.filter(action="fees.statement_line.resolve").count() == 1


def test_excel_statement_and_resolving_to_an_assessment():
    import openpyxl

    gate, _c = fee_gate()
    a = fee_assessment(gate, amount=750_000)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngay", "So tien ghi co", "Dien giai", "So tham chieu"])
    ws.append([datetime.datetime(2026, 3, 5, 9, 30), 750000, "thanh toan phi xe 12C12345", "VCB9"])
    out = io.BytesIO()
    wb.save(out)
    st = statement_import(actor=None, file_name="vcb.xlsx", content=out.getvalue())
    assert st.matched_count == 0
    line = StatementLine.objects.get(bank_ref="VCB9")
    assert line.booked_on == datetime.date(2026, 3, 5)
    statement_line_resolve(actor=None, line_id=line.pk, note="Khớp theo biển số xe", assessment_id=a.pk)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PAID and a.receipts.get().method == "transfer"


def test_statement_with_missing_columns_is_refused_and_writes_nothing():
    with pytest.raises(ServiceError) as exc:
        statement_import(actor=None, file_name="x.csv", content=b"a,b\n1,2\n")
    assert exc.value.field == "file"
    with pytest.raises(ServiceError):
        statement_import(actor=None, file_name="x.pdf", content=b"%PDF")
    assert StatementLine.objects.count() == 0


def test_gate_in_settles_from_deposit_and_replay_gives_same_receipt(tariffs):
    gate, _c = fee_gate("TA_LUNG")
    enterprise = EnterpriseFactory()
    deposit_record(actor=None, payer_unit=enterprise.unit, amount=10_000_000)
    charge = Charge(
        flow="temp_import_reexport", container=40, tariff_code="CB-39-2019", on=timezone.localdate()
    )
    first = fee_assess(
        actor=None,
        charge=charge,
        gate_code="TA_LUNG",
        payer_unit_id=enterprise.unit.pk,
        source="traffic.gate_in",
        source_id="42",
    )
    again = fee_assess(
        actor=None,
        charge=charge,
        gate_code="TA_LUNG",
        payer_unit_id=enterprise.unit.pk,
        source="traffic.gate_in",
        source_id="42",
    )
    assert first.pk == again.pk
    assert FeeAssessment.objects.get(pk=first.pk).status == AssessmentStatus.PAID
    assert Receipt.objects.filter(assessment=first).count() == 1
    assert Payment.objects.filter(method="balance").count() == 1
    assert balance_of(enterprise.unit.pk) == 3_500_000
    # the next trip does not fit in the deposit: a debt, no receipt
    second = fee_assess(
        actor=None,
        charge=charge,
        gate_code="TA_LUNG",
        payer_unit_id=enterprise.unit.pk,
        source="traffic.gate_in",
        source_id="43",
    )
    assert second.status == AssessmentStatus.DUE and not second.receipts.exists()
    assert debt_of(enterprise.unit.pk) == 6_500_000
    # a deposit transfer (KQ + tax code) pays the debt oldest first
    data = csv_bytes([["06/03/2026", "5000000", f"KQ{enterprise.tax_code} nop ky quy", "FT77", "DN"]])
    statement_import(actor=None, file_name="s.csv", content=data)
    assert debt_of(enterprise.unit.pk) == 0 and balance_of(enterprise.unit.pk) == 2_000_000
    assert Receipt.objects.filter(assessment=second).count() == 1
    # the stored balance is the sum over the payer's payments at every step's end
    assert balance_from_payments(enterprise.unit.pk) == 2_000_000
    assert balances_mismatched() == []


def test_stored_balance_follows_an_overpaid_transfer_and_the_check_command_finds_a_drift(tariffs):
    from django.core.management import CommandError, call_command

    from cuakhau.fees.models import PayerBalance

    gate, _c = fee_gate()
    enterprise = EnterpriseFactory()
    due = fee_assessment(gate, payer_unit=enterprise.unit, amount=300_000)
    data = csv_bytes([["06/03/2026", "1000000", f"CK {due.payment_reference}", "FT78", "DN"]])
    statement_import(actor=None, file_name="s.csv", content=data)
    # 300,000 pays the fee; the 700,000 over it is the payer's deposit, stored and summed alike
    assert balance_of(enterprise.unit.pk) == 700_000 == balance_from_payments(enterprise.unit.pk)
    out = io.StringIO()
    call_command("fees", "check-balances", stdout=out)
    assert out.getvalue().strip() == "OK"
    PayerBalance.objects.filter(pk=enterprise.unit.pk).update(balance=1)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 payer balance"):
        call_command("fees", "check-balances", stdout=out)
    assert f"unit {enterprise.unit.pk}: stored 1, from payments 700000" in out.getvalue()


def test_balances_are_scoped_to_the_enterprise():
    gate, _c = fee_gate()
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    fee_assessment(gate, payer_unit=mine.unit, amount=100_000)
    fee_assessment(gate, payer_unit=other.unit, amount=200_000)
    user = UserFactory(role=Role.ENTERPRISE_USER, unit=mine.unit)
    rows = enterprise_balances(user=user)
    assert [(r["unit_id"], r["debt"]) for r in rows] == [(mine.unit.pk, 100_000)]
    board = UserFactory(role=Role.BOARD_LEADER)
    assert {r["debt"] for r in enterprise_balances(user=board)} == {100_000, 200_000}


def test_revenue_split_and_growth():
    assert split(645_262_000_000) == (64_526_200_000, 580_735_800_000)
    assert split(1_005) == (100, 905)
    gate, _c = fee_gate()
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    today = timezone.localdate()
    with acting_as(cashier):
        for amount in (1_000_000, 500_000):
            payment_collect_cash(actor=cashier, assessment_id=fee_assessment(gate, amount=amount).pk)
        old = payment_collect_cash(actor=cashier, assessment_id=fee_assessment(gate, amount=1_200_000).pk)
    last_year = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year - 1, day=28)
    )
    Receipt.objects.filter(pk=old.pk).update(issued_on=last_year)
    board = UserFactory(role=Role.BOARD_LEADER)
    rows, summary = revenue(user=board, date_from=today, date_to=today, group="day")
    assert summary["total"] == 1_500_000 and summary["kept"] == 150_000 and summary["budget"] == 1_350_000
    assert summary["previous"] == 1_200_000 and summary["growth"] == 25.0
    assert rows[0]["growth"] == 25.0
    by_gate, _ = revenue(user=board, date_from=today, date_to=today, group="gate")
    assert by_gate[0]["key"] == gate.name
    by_rule, _ = revenue(user=board, date_from=today, date_to=today, group="rule")
    assert by_rule[0]["key"] == "1-c40"
    month, _ = revenue(user=board, date_from=today.replace(day=1), date_to=today, group="month")
    assert month[0]["total"] == 1_500_000 and month[0]["previous"] == 1_200_000
    # a cashier of another gate sees none of it
    stranger = user_at_gate(Role.GATE_CASHIER, fee_gate("OTHER")[0])
    assert revenue(user=stranger, date_from=today, date_to=today)[1]["total"] == 0


def test_assessment_returned_by_gate_in_shows_it_was_settled(tariffs):
    gate, _c = fee_gate("TA_LUNG")
    enterprise = EnterpriseFactory()
    deposit_record(actor=None, payer_unit=enterprise.unit, amount=10_000_000)
    charge = Charge(
        flow="temp_import_reexport", container=40, tariff_code="CB-39-2019", on=timezone.localdate()
    )
    a = fee_assess(
        actor=None,
        charge=charge,
        gate_code="TA_LUNG",
        payer_unit_id=enterprise.unit.pk,
        source="t",
        source_id="1",
    )
    assert a.status == AssessmentStatus.PAID

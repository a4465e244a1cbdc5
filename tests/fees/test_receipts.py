"""E-receipts: numbering, content, replacement, documents, and the cash counter."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.fees import documents
from cuakhau.fees.collecting import validate_symbols
from cuakhau.fees.models import AssessmentStatus, Payment, Receipt, ReceiptSeries, ReceiptStatus
from cuakhau.fees.selectors import receipt_public_lookup, verify_sequence
from cuakhau.fees.services import payment_collect_cash, receipt_replace, receipt_series_create, shift_close
from tests.factories import EnterpriseFactory, UnitFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(tmp_path, monkeypatch):
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    documents.devcert_create()
    return tmp_path


@pytest.fixture
def counter():
    gate, centre = fee_gate()
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    return gate, centre, cashier


def collect(gate, cashier, **kw):
    a = fee_assessment(gate, **kw)
    with acting_as(cashier, channel="web"):
        return payment_collect_cash(actor=cashier, assessment_id=a.pk)


def test_cash_collection_issues_numbered_receipt_with_content(counter):
    gate, centre, cashier = counter
    enterprise = EnterpriseFactory()
    r1 = collect(gate, cashier, payer_unit=enterprise.unit, amount=1_200_000)
    r2 = collect(gate, cashier)
    assert (r1.number, r2.number) == (1, 2) and r1.number_text == "00000001"
    year = datetime.date.today().year
    assert r1.form_symbol == "EBL01" and r1.symbol == f"{year % 100:02d}TAA"
    assert r1.collector_name == centre.name and r1.collector_tax_code == "4900100004"
    assert r1.payer_name == enterprise.name and r1.payer_tax_code == enterprise.tax_code
    assert r1.amount_words == "Một triệu hai trăm nghìn đồng"
    assert r1.lines[0]["amount"] == 1_200_000 and "cửa khẩu" in r1.lines[0]["name"]
    assert len(r1.check_code) == 10
    r1.assessment.refresh_from_db()
    assert r1.assessment.status == AssessmentStatus.PAID
    assert Payment.objects.get(receipt=r1).method == "cash"
    assert AuditEvent.objects.filter(action="fees.receipt.issue", object_id=str(r1.pk)).count() == 1
    assert ReceiptSeries.objects.get().last_number == 2


def test_the_last_8_digit_number_is_issued_and_then_the_series_refuses_without_moving(counter):
    from cuakhau.fees.models import MAX_RECEIPT_NUMBER

    gate, _c, cashier = counter
    collect(gate, cashier)
    ReceiptSeries.objects.update(last_number=MAX_RECEIPT_NUMBER - 1)
    assert collect(gate, cashier).number == MAX_RECEIPT_NUMBER
    a = fee_assessment(gate)
    with acting_as(cashier, channel="web"), pytest.raises(ServiceError, match="8 chữ số"):
        payment_collect_cash(actor=cashier, assessment_id=a.pk)
    assert ReceiptSeries.objects.get().last_number == MAX_RECEIPT_NUMBER
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DUE and not Receipt.objects.filter(assessment=a).exists()


def test_a_receipt_takes_its_number_in_one_statement_on_the_series(counter):
    gate, _c, cashier = counter
    collect(gate, cashier)  # the year's series exists from here on
    a = fee_assessment(gate)
    table = ReceiptSeries._meta.db_table
    with CaptureQueriesContext(connection) as queries, acting_as(cashier, channel="web"):
        receipt = payment_collect_cash(actor=cashier, assessment_id=a.pk)
    on_series = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert len(on_series) == 1 and on_series[0].startswith("UPDATE") and "RETURNING" in on_series[0]
    assert receipt.number == 2 and receipt.series_id == ReceiptSeries.objects.get().pk


def test_a_cashier_of_another_gate_gets_not_found_and_nothing_is_locked_or_issued(counter):
    from cuakhau.core.errors import NotFound

    gate, _c, cashier = counter
    other_gate, _other = fee_gate(code="OTHER")
    a = fee_assessment(other_gate)
    with acting_as(cashier, channel="web"), pytest.raises(NotFound):
        payment_collect_cash(actor=cashier, assessment_id=a.pk)
    assert not Receipt.objects.exists()


def test_collecting_twice_is_refused(counter):
    gate, _c, cashier = counter
    r = collect(gate, cashier)
    with pytest.raises(ServiceError):
        payment_collect_cash(actor=cashier, assessment_id=r.assessment_id)
    assert Receipt.objects.count() == 1


def test_cashier_of_another_gate_cannot_collect(counter):
    gate, _c, _cashier = counter
    other_gate, _ = fee_gate("OTHER")
    stranger = user_at_gate(Role.GATE_CASHIER, other_gate)
    operator = user_at_gate(Role.GATE_OPERATOR, gate)
    a = fee_assessment(gate)
    with pytest.raises(ServiceError) as exc:
        payment_collect_cash(actor=stranger, assessment_id=a.pk)
    assert exc.value.status == 404
    with pytest.raises(ServiceError):
        payment_collect_cash(actor=operator, assessment_id=a.pk)
    assert Receipt.objects.count() == 0


def test_rolled_back_receipt_leaves_no_gap(counter):
    gate, _c, cashier = counter
    collect(gate, cashier)
    a = fee_assessment(gate)
    with pytest.raises(RuntimeError), transaction.atomic():
        payment_collect_cash(actor=cashier, assessment_id=a.pk)
        raise RuntimeError("crash after numbering")
    assert collect(gate, cashier).number == 2
    assert verify_sequence(year=datetime.date.today().year) == []


def test_symbols_are_validated():
    for bad in (
        {"form_symbol": "EBL03", "symbol": "26TAB"},
        {"form_symbol": "EBL01", "symbol": "26TAF"},
        {"form_symbol": "EBL01", "symbol": "25TAB"},
        {"form_symbol": "EBL01", "symbol": "26XAB"},
    ):
        with pytest.raises(ServiceError):
            validate_symbols(year=2026, **bad)
    validate_symbols(form_symbol="EBL02", symbol="26TYX", year=2026)
    centre = UnitFactory(kind="gate_centre")
    with pytest.raises(ServiceError):
        receipt_series_create(actor=None, collector_unit=centre, year=2026, symbol="27TAB")


def test_numbers_restart_every_year_in_a_new_series():
    _g, centre = fee_gate()
    s26 = receipt_series_create(actor=None, collector_unit=centre, year=2026)
    s27 = receipt_series_create(actor=None, collector_unit=centre, year=2027)
    assert (s26.symbol, s27.symbol) == ("26TAA", "27TAA")  # the point keeps its letters
    other = UnitFactory(kind="gate_centre")
    assert receipt_series_create(actor=None, collector_unit=other, year=2026).symbol == "26TAB"


def test_verify_sequence_reports_gaps_and_duplicates(counter):
    gate, _c, cashier = counter
    r = [collect(gate, cashier) for _ in range(4)]
    year = datetime.date.today().year
    assert verify_sequence(year=year) == []
    out = StringIO()
    call_command("receipts", "verify-sequence", "--year", str(year), stdout=out)
    assert out.getvalue().strip() == "OK"
    # Simulate damage below the service layer: a hole at 2 and a duplicate of 4.
    Receipt.objects.filter(pk=r[1].pk).update(number=9)
    ReceiptSeries.objects.update(last_number=9)
    problems = verify_sequence(year=year)
    assert any("gap 00000002" in p for p in problems)
    assert any("gap 00000005-00000008" in p for p in problems)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("receipts", "verify-sequence", "--year", str(year), stdout=out)
    assert "gap 00000002" in out.getvalue()


def test_replacement_names_the_original_which_is_kept(counter, keys):
    gate, _c, cashier = counter
    enterprise = EnterpriseFactory()
    old = collect(gate, cashier, payer_unit=enterprise.unit)
    with acting_as(cashier):
        new = receipt_replace(
            actor=cashier, receipt_id=old.pk, reason="Sai tên người nộp", payer_name="Công ty đúng tên"
        )
    old.refresh_from_db()
    assert old.status == ReceiptStatus.REPLACED and new.replaces == old and new.number == 2
    assert new.payer_name == "Công ty đúng tên" and new.amount == old.amount
    assert Receipt.objects.count() == 2
    with pytest.raises(ServiceError):
        receipt_replace(actor=cashier, receipt_id=old.pk, reason="again")
    xml = documents.receipt_signed_xml(new)
    assert b"SBLGoc>00000001<" in xml


def test_signed_xml_verifies_and_detects_tampering(counter, keys):
    gate, _c, cashier = counter
    r = collect(gate, cashier, amount=250_000)
    xml = documents.receipt_signed_xml(r)
    assert b"rsa-sha256" in xml and b"<X509Certificate>" in xml.replace(b"ds:", b"")
    result = documents.verify_signed_xml(xml, (keys / "c.pem").read_bytes())
    assert b"250000" in __import__("lxml.etree").etree.tostring(result.signed_xml)
    assert documents.receipt_signed_xml(Receipt.objects.get(pk=r.pk)) == xml  # kept, not re-signed
    tampered = xml.replace(b"<TgTien>250000<", b"<TgTien>25000<")
    with pytest.raises(Exception):  # noqa: B017 - signxml raises InvalidDigest/InvalidSignature
        documents.verify_signed_xml(tampered, (keys / "c.pem").read_bytes())


def test_pdf_renders(counter):
    gate, _c, cashier = counter
    r = collect(gate, cashier)
    pdf = documents.receipt_pdf(r)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_public_lookup_needs_all_three(counter):
    gate, _c, cashier = counter
    r = collect(gate, cashier)
    assert receipt_public_lookup(symbol=r.symbol, number="1", code=r.check_code) == r
    assert receipt_public_lookup(symbol=r.symbol.lower(), number="00000001", code=r.check_code.lower()) == r
    assert receipt_public_lookup(symbol=r.symbol, number="1", code="WRONGCODE2") is None
    assert receipt_public_lookup(symbol=r.symbol, number="x", code=r.check_code) is None


def test_shift_close_records_difference(counter):
    gate, _c, cashier = counter
    collect(gate, cashier, amount=1_000_000)
    r = collect(gate, cashier, amount=500_000)
    shift = Payment.objects.get(receipt=r).shift
    with pytest.raises(ServiceError) as exc:
        shift_close(actor=cashier, shift_id=shift.pk, counted_cash=1_450_000)
    assert exc.value.field == "note"
    shift = shift_close(actor=cashier, shift_id=shift.pk, counted_cash=1_450_000, note="Thiếu 50.000 đ")
    assert (shift.expected_cash, shift.difference, shift.receipt_count) == (1_500_000, -50_000, 2)
    with pytest.raises(ServiceError):
        shift_close(actor=cashier, shift_id=shift.pk, counted_cash=0)
    # the next collection opens a new shift
    r3 = collect(gate, cashier)
    assert Payment.objects.get(receipt=r3).shift_id != shift.pk


def test_daily_summary_xlsx(counter):
    import io

    import openpyxl

    gate, _c, cashier = counter
    old = collect(gate, cashier, amount=100_000)
    with acting_as(cashier):
        receipt_replace(actor=cashier, receipt_id=old.pk, reason="Sai mã số thuế")
    data = documents.daily_summary_xlsx(Receipt.objects.order_by("number"), day=datetime.date.today())
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "Mẫu số 01/TH-BLĐT"
    body = [v for v in values if v and v[0] in (1, 2)]
    assert body[0][3] == "00000001" and body[0][7] == "Bị thay thế"
    assert body[1][7] == "Thay thế" and "00000001" in body[1][8]
    assert values[-1][6] == 100_000


@override_settings(FEES_COLLECTOR_TAX_CODE="0100233488")
def test_collector_tax_code_from_settings(counter):
    gate, _c, cashier = counter
    assert collect(gate, cashier).collector_tax_code == "0100233488"

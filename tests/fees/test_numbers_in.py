"""Amounts that come in to the fees app (issue 12): bank statements (text read in the importer's
language, number cells as numbers, whole đồng) and the cash a cashier counts at the end of a shift."""

import io

import openpyxl
import pytest
from django.utils import translation

from cuakhau.core.errors import ServiceError
from cuakhau.fees.models import CashierShift, StatementLine
from cuakhau.fees.services import statement_import
from cuakhau.fees.statement_files import parse_statement
from tests.fees.test_collect_pages import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

HEAD = "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch\n"


def _csv(*amounts: str) -> bytes:
    rows = [f'02/03/2026,"{a}",chuyen tien {i},FT{i}' for i, a in enumerate(amounts)]
    return (HEAD + "\n".join(rows) + "\n").encode()


def test_statement_text_amounts_are_read_the_vietnamese_way():
    lines = parse_statement(
        file_name="sk.csv", content=_csv("1.200.000", "1.200.000,00", "+750.000 đ", "1200000 VND", "-50.000")
    )
    assert [p.amount for p in lines] == [1_200_000, 1_200_000, 750_000, 1_200_000]


def test_statement_number_cells_are_numbers_and_text_cells_are_read():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngay", "So tien ghi co", "Dien giai", "So tham chieu"])
    ws.append(["02/03/2026", 1200000, "a", "VCB1"])
    ws.append(["02/03/2026", "1.200.000", "b", "VCB2"])
    ws.append(["02/03/2026", 1200000.0, "c", "VCB3"])
    out = io.BytesIO()
    wb.save(out)
    statement = statement_import(actor=None, file_name="vcb.xlsx", content=out.getvalue())
    assert (
        list(StatementLine.objects.filter(statement=statement).values_list("amount", flat=True))
        == [1_200_000] * 3
    )


@pytest.mark.parametrize(
    "amount, words",
    [
        ("1,200", ["Dòng 3", "Số tiền", "1.200", "1,2"]),  # two readings
        ("1.20.000", ["Dòng 3", "Số tiền", "3 chữ số"]),  # malformed grouping
        ("1.200.000,50", ["Dòng 3", "1.200.000,5", "đồng"]),  # đồng are whole
    ],
)
def test_a_statement_amount_that_cannot_be_read_for_sure_is_refused_naming_the_row(amount, words):
    with pytest.raises(ServiceError) as info:
        statement_import(actor=None, file_name="sk.csv", content=_csv("500.000", amount))
    message = info.value.messages[0]
    assert info.value.field == "file" and all(w in message for w in words), message
    assert StatementLine.objects.count() == 0


def test_an_english_importer_reads_the_english_way():
    with translation.override("en"):
        lines = parse_statement(file_name="sk.csv", content=_csv("1,200,000", "750000"))
        assert [p.amount for p in lines] == [1_200_000, 750_000]
        with pytest.raises(ServiceError):
            parse_statement(file_name="sk.csv", content=_csv("1.200.000"))


def test_counted_cash_is_read_in_the_pages_language_and_never_guessed(client, world):  # noqa: F811
    client.force_login(world["cashier"])
    shift = CashierShift.objects.get(cashier=world["cashier"])
    response = client.post("/fees/shift/", {"counted_cash": "500,000", "note": ""}, follow=True)
    text = response.content.decode()
    assert "Tiền mặt kiểm đếm" in text and "500.000" in text  # the reading it may mean
    shift.refresh_from_db()
    assert shift.closed_at is None
    client.post("/fees/shift/", {"counted_cash": "500.000,5", "note": ""})
    shift.refresh_from_db()
    assert shift.closed_at is None  # đồng are whole: not rounded
    client.post("/fees/shift/", {"counted_cash": "500.000", "note": ""})
    shift.refresh_from_db()
    assert shift.closed_at is not None and shift.counted_cash == 500_000 and shift.difference == 0

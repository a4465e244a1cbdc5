"""Numbers a cashier or the Board reads on the collection pages: grouped in the reader's language, in
messages too, and goods flows by name."""

import io

import pytest
from django.conf import settings

from cuakhau.core.context import acting_as
from cuakhau.core.roles import Role
from cuakhau.fees.models import CashierShift
from cuakhau.fees.services import payment_collect_cash
from tests.factories import EnterpriseFactory, UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(tmp_path, monkeypatch):
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    from cuakhau.fees.documents import devcert_create

    devcert_create()
    gate, _c = fee_gate("GATE_A")
    enterprise = EnterpriseFactory()
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    with acting_as(cashier):
        for amount, flow in ((1_250_000, "temp_import_reexport"), (62_500, "export")):
            due = fee_assessment(gate, payer_unit=enterprise.unit, amount=amount, flow=flow)
            payment_collect_cash(actor=cashier, assessment_id=due.pk)
    return cashier


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("vi", "Đã đóng ca. Chênh lệch: -50.000 đồng."),
        ("en", "Shift closed. Difference: -50,000 đồng."),
    ],
)
def test_shift_close_message_groups_a_negative_difference(client, counter, language, shown):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(counter)
    # typed without grouping, which every language reads the same way (reading is not this test's subject)
    response = client.post("/fees/shift/", {"counted_cash": "1262500", "note": "thiếu"}, follow=True)
    assert CashierShift.objects.get(cashier=counter).difference == -50_000
    assert shown in messages_of(response)


def test_revenue_by_flow_shows_the_flows_names(client, counter):
    import openpyxl

    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    html = client.get("/fees/revenue/", {"group": "flow"}).content.decode()
    table = html[html.index('data-testid="revenue"') :]
    assert "Tạm nhập tái xuất" in table and "Xuất khẩu" in table
    assert "temp_import_reexport" not in table and ">export<" not in table
    assert "1.250.000 đ" in table and "62.500 đ" in table
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/fees/revenue/", {"group": "flow"}).content.decode()
    assert "1,250,000 VND" in english and "temp_import_reexport" not in english
    # the sheet is Vietnamese whoever downloads it
    xlsx = client.get("/fees/revenue/", {"group": "flow", "export": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sorted(ws.cell(row=r, column=1).value for r in (4, 5)) == ["Tạm nhập tái xuất", "Xuất khẩu"]


def test_a_counted_cash_past_any_counter_is_refused_naming_the_field_not_a_500(client, counter):
    client.force_login(counter)
    response = client.post(
        "/fees/shift/", {"counted_cash": "9999999999999999999999999", "note": "x"}, follow=True
    )
    assert response.status_code == 200
    [message] = messages_of(response)
    assert "Số tiền kiểm đếm quá lớn" in message and "10.000.000.000.000" in message
    assert CashierShift.objects.get(cashier=counter).closed_at is None

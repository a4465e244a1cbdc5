"""Pages and API of the collection flow, with the permission matrix: out of scope is 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cuakhau.core.context import acting_as
from cuakhau.core.roles import Role
from cuakhau.fees.models import AssessmentStatus, CashierShift, Receipt
from cuakhau.fees.services import payment_collect_cash
from tests.factories import EnterpriseFactory, UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    from cuakhau.fees.documents import devcert_create

    devcert_create()
    gate, _c = fee_gate("GATE_A")
    other_gate, _o = fee_gate("GATE_B")
    enterprise, other_enterprise = EnterpriseFactory(), EnterpriseFactory()
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    due = fee_assessment(gate, payer_unit=enterprise.unit, amount=1_200_000)
    paid = fee_assessment(gate, payer_unit=enterprise.unit, amount=500_000)
    with acting_as(cashier):
        receipt = payment_collect_cash(actor=cashier, assessment_id=paid.pk)
    elsewhere = fee_assessment(other_gate, payer_unit=other_enterprise.unit)
    return {
        "gate": gate,
        "other_gate": other_gate,
        "enterprise": enterprise,
        "cashier": cashier,
        "due": due,
        "receipt": receipt,
        "elsewhere": elsewhere,
        "other_enterprise": other_enterprise,
    }


def users(w):
    return {
        "board_leader": UserFactory(role=Role.BOARD_LEADER),
        "department_staff": UserFactory(role=Role.DEPARTMENT_STAFF),
        "inspector": UserFactory(role=Role.INSPECTOR),
        "provincial_leader": UserFactory(role=Role.PROVINCIAL_LEADER),
        "cashier": w["cashier"],
        "operator": user_at_gate(Role.GATE_OPERATOR, w["gate"]),
        "other_cashier": user_at_gate(Role.GATE_CASHIER, w["other_gate"]),
        "agency": user_at_gate(Role.AGENCY_OFFICER, w["gate"]),
        "enterprise": UserFactory(role=Role.ENTERPRISE_USER, unit=w["enterprise"].unit),
        "other_enterprise": UserFactory(role=Role.ENTERPRISE_USER, unit=w["other_enterprise"].unit),
        "driver": UserFactory(role=Role.DRIVER, unit=w["enterprise"].unit),
    }


SEES = {
    "board_leader",
    "department_staff",
    "inspector",
    "provincial_leader",
    "cashier",
    "operator",
    "enterprise",
}


def test_permission_matrix_for_assessment_receipt_and_downloads(client, world):
    w = world
    urls = [
        f"/fees/assessments/{w['due'].pk}/",
        f"/fees/receipts/{w['receipt'].pk}/",
        f"/fees/receipts/{w['receipt'].pk}/pdf/",
        f"/fees/receipts/{w['receipt'].pk}/xml/",
        f"/api/v1/fees/assessments/{w['due'].pk}",
        f"/api/v1/fees/receipts/{w['receipt'].pk}",
    ]
    for name, user in users(w).items():
        client.force_login(user)
        for url in urls:
            status = client.get(url).status_code
            assert status == (200 if name in SEES else 404), (name, url, status)
    client.logout()
    assert client.get(urls[0]).status_code == 302
    assert client.get(urls[4]).status_code == 401


def test_lists_hold_only_what_is_in_scope(client, world):
    w = world
    client.force_login(UserFactory(role=Role.ENTERPRISE_USER, unit=w["other_enterprise"].unit))
    html = client.get("/fees/assessments/").content.decode()
    assert w["elsewhere"].payment_reference in html and w["due"].payment_reference not in html
    data = client.get("/api/v1/fees/assessments").json()
    assert [a["id"] for a in data] == [w["elsewhere"].pk]
    assert client.get("/api/v1/fees/receipts").json() == []


def test_cashier_collects_at_the_counter(client, world):
    w = world
    client.force_login(w["cashier"])
    page = client.get("/fees/counter/")
    assert page.status_code == 200 and w["due"].payment_reference in page.content.decode()
    response = client.post(f"/fees/assessments/{w['due'].pk}/collect/")
    receipt = Receipt.objects.get(assessment=w["due"])
    assert response.status_code == 302 and response["Location"] == f"/fees/receipts/{receipt.pk}/"
    w["due"].refresh_from_db()
    assert w["due"].status == AssessmentStatus.PAID
    html = client.get(response["Location"]).content.decode()
    assert "00000002" in html and "Một triệu hai trăm nghìn đồng" in html
    # a second click changes nothing
    client.post(f"/fees/assessments/{w['due'].pk}/collect/")
    assert Receipt.objects.filter(assessment=w["due"]).count() == 1


def test_others_cannot_collect(client, world):
    w = world
    for user in (
        user_at_gate(Role.GATE_OPERATOR, w["gate"]),
        user_at_gate(Role.GATE_CASHIER, w["other_gate"]),
    ):
        client.force_login(user)
        response = client.post(f"/fees/assessments/{w['due'].pk}/collect/")
        assert response.status_code in (302, 404)
    assert not Receipt.objects.filter(assessment=w["due"]).exists()
    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    assert client.get("/fees/counter/").status_code == 404


def test_public_lookup_and_pdf(client, world):
    r = world["receipt"]
    page = client.get("/fees/lookup/", {"symbol": r.symbol, "number": "1", "code": r.check_code})
    assert page.status_code == 200 and "Biên lai hợp lệ" in page.content.decode()
    pdf = client.get(
        "/fees/lookup/", {"symbol": r.symbol, "number": "1", "code": r.check_code, "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    wrong = client.get("/fees/lookup/", {"symbol": r.symbol, "number": "1", "code": "ABCDEFGHJK"})
    assert wrong.status_code == 404 and r.payer_name not in wrong.content.decode()


def test_signed_xml_download_verifies(client, world):
    from cuakhau.fees.documents import key_paths, verify_signed_xml

    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    xml = client.get(f"/fees/receipts/{world['receipt'].pk}/xml/").content
    verify_signed_xml(xml, key_paths()[0].read_bytes())


def test_statement_upload_shift_close_and_revenue_export(client, world):
    import openpyxl

    w = world
    client.force_login(w["cashier"])
    upload = SimpleUploadedFile(
        "s.csv",
        f"Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch\n01/03/2026,1200000,{w['due'].payment_reference},FT1\n"
        f"01/03/2026,99000,khong ro,FT2\n".encode(),
    )
    response = client.post("/fees/payments/", {"file": upload})
    assert response.status_code == 302 and response["Location"] == "/fees/payments/unmatched/"
    html = client.get("/fees/payments/unmatched/").content.decode()
    assert "FT2" in html and "FT1" not in html
    shift = CashierShift.objects.get(cashier=w["cashier"])
    assert "500.000" in client.get("/fees/shift/").content.decode()
    client.post("/fees/shift/", {"counted_cash": "500.000", "note": ""})
    shift.refresh_from_db()
    assert shift.closed_at is not None and shift.difference == 0
    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    page = client.get("/fees/revenue/", {"group": "gate"})
    assert page.status_code == 200 and "1.700.000" in page.content.decode()
    xlsx = client.get("/fees/revenue/", {"group": "gate", "export": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in ws[4]][:3] == [w["gate"].name, 2, 1_700_000]
    api = client.get(
        "/api/v1/fees/revenue", {"date_from": "2000-01-01", "date_to": "2100-01-01", "group": "gate"}
    )
    assert api.status_code == 200 and api.json()["total"] == 1_700_000 and api.json()["kept"] == 170_000
    summary = client.get("/fees/receipts/", {"day": w["receipt"].issued_on.isoformat(), "export": "01th"})
    assert summary["Content-Type"].startswith("application/vnd.openxmlformats")


def test_enterprise_cannot_import_statements(client, world):
    client.force_login(UserFactory(role=Role.ENTERPRISE_USER, unit=world["enterprise"].unit))
    upload = SimpleUploadedFile("s.csv", b"x")
    assert client.post("/fees/payments/", {"file": upload}).status_code == 404

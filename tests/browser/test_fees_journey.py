"""The fee chain in a real browser (issue 4, 'Done when'): two trips of the demo enterprise are declared
(through the services: the traffic journey declares in the browser), a yard camera posts their gate-in
through the API and each trip gets its fee; the enterprise opens the payment notice with its VietQR and
prints it; the cashier collects cash for one trip, and imports a bank statement whose transfer note
carries the other trip's reference; both receipts download as PDF and signed XML; the cashier closes the
shift; the revenue report grows by both amounts; the audit log shows every step and who took it."""

import datetime
import re
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD

from .conftest import ARTIFACTS, login, shot

pytestmark = pytest.mark.browser

ENTERPRISE_TAX_CODE = "0100233488"  # the demo enterprise of the `doanhnghiep` login
PLATES = ("12C-567.89", "12C-678.90")


def _context(browser, live_server, username):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, username, DEMO_PASSWORD)
    return context, page


def _declared_and_called(plate: str):
    """A trip of the demo enterprise, declared by `doanhnghiep`, approved and called by `dieuhanh`."""
    from cuakhau.core.context import acting_as
    from cuakhau.core.models import User
    from cuakhau.gates.models import Gate
    from cuakhau.parties.models import Driver, Enterprise
    from cuakhau.parties.services import vehicle_register
    from cuakhau.traffic import services

    enterprise = Enterprise.objects.get(tax_code=ENTERPRISE_TAX_CODE)
    declarant, operator = User.objects.get(username="doanhnghiep"), User.objects.get(username="dieuhanh")
    with acting_as(None, channel="cli"):
        vehicle = vehicle_register(actor=None, plate=plate, kind="truck", tonnage="15", owner=enterprise)
    with acting_as(declarant, channel="web"):
        d = services.declaration_create(
            actor=declarant,
            enterprise=enterprise,
            vehicle=vehicle,
            driver=Driver.objects.get(user__username="laixe"),
            gate=Gate.objects.get(code="HUUNGHI"),
            flow="export",
            planned_arrival=timezone.now() + datetime.timedelta(hours=2),
            lines=[
                {
                    "hs_code": "0703.10.19",
                    "description": "Hành tây củ",
                    "quantity": "20000",
                    "unit": "kg",
                    "gross_kg": "20800",
                    "value": "240000000",
                }
            ],
        )
        services.declaration_submit(actor=declarant, declaration=d)
    with acting_as(operator, channel="web"):
        services.declaration_approve(actor=operator, declaration=d)
        services.declaration_call_forward(actor=operator, declaration=d, reason="Hàng nông sản tươi")
    return d


def _device_token():
    from cuakhau.core.models import Unit
    from cuakhau.core.services.org import token_create
    from tests.factories import UserFactory

    device = UserFactory(
        role="gate_operator",
        unit=Unit.objects.get(code="ttqlck-huu-nghi"),
        username="camera-hn",
        is_service_account=True,
    )
    return token_create(actor=None, user=device, name="Camera cổng bãi Hữu Nghị")[1]


def _amount(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_declaration_to_revenue_in_the_browser(page, browser, live_server, zone, tmp_path, monkeypatch):
    from cuakhau.fees import documents
    from cuakhau.fees.models import FeeAssessment, Receipt
    from cuakhau.fees.vietqr import parse_payload

    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    documents.devcert_create()
    trips = [_declared_and_called(plate) for plate in PLATES]
    secret = _device_token()

    # The revenue report before: the demo's receipts of today, if any.
    board_context, board = _context(browser, live_server, "chuyenvien")
    board.goto(f"{live_server.url}/fees/revenue/")
    revenue_before = _amount(board.locator("[data-testid=revenue-total] b").inner_text())

    # 1. The yard camera posts gate-in through the API: each trip is assessed.
    for d in trips:
        response = page.request.post(
            f"{live_server.url}/api/v1/traffic/gate-events",
            data={"kind": "in", "yard": "bai-huu-nghi", "plate": d.vehicle.plate},
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status == 201, response.text()
        assert response.json()["result"] == "in_yard"
    cash_fee, transfer_fee = (
        FeeAssessment.objects.get(source="traffic.declaration", source_id=str(d.pk)) for d in trips
    )
    assert cash_fee.status == transfer_fee.status == "due" and cash_fee.amount > 0 and transfer_fee.amount > 0

    # 2. The enterprise sees the fee and its payment notice with the VietQR, and prints the notice.
    login(page, live_server, "doanhnghiep", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/fees/assessments/")
    listing = page.locator("main").inner_text()
    assert transfer_fee.payment_reference in listing and cash_fee.payment_reference in listing
    page.click(f"text={transfer_fee.payment_reference}")
    page.wait_for_load_state("networkidle")
    notice = page.locator("[data-testid=notice]")
    assert notice.locator("[data-testid=vietqr] svg").count() == 1
    assert notice.locator("[data-testid=notice-reference]").inner_text() == transfer_fee.payment_reference
    assert _amount(notice.locator("[data-testid=notice-amount]").inner_text()) == transfer_fee.amount
    qr = parse_payload(notice.locator("[data-testid=vietqr-payload]").text_content())
    assert (qr.amount, qr.purpose) == (transfer_fee.amount, transfer_fee.payment_reference)
    shot(page, "fees-journey-1-notice")
    with page.expect_download() as download:
        page.click("[data-testid=notice-pdf]")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    # the PDF's page, as WeasyPrint lays it out, looked at in chromium (no PDF rasteriser on the machine)
    paper = browser.new_page(viewport={"width": 794, "height": 1123})
    paper.set_content(documents.payment_notice_html(transfer_fee))
    paper.screenshot(path=str(ARTIFACTS / "fees-journey-2-notice-pdf.png"), full_page=True)
    paper.close()

    # 3. The cashier collects cash for the first trip; receipt PDF and signed XML download.
    cashier_context, cashier = _context(browser, live_server, "thungan")
    cashier.goto(f"{live_server.url}/fees/counter/?q={cash_fee.payment_reference}")
    assert cash_fee.payment_reference in cashier.locator("[data-testid=due]").inner_text()
    cashier.goto(f"{live_server.url}/fees/assessments/{cash_fee.pk}/")
    cashier.click("[data-testid=collect-cash]")
    cashier.wait_for_load_state("networkidle")
    assert "/fees/receipts/" in cashier.url
    cash_receipt = Receipt.objects.get(assessment=cash_fee, status="issued")
    assert cash_receipt.method == "cash" and cash_receipt.amount == cash_fee.amount
    assert cash_receipt.number_text in cashier.locator("[data-testid=receipt-number]").inner_text()
    shot(cashier, "fees-journey-3-cash-receipt")
    _download_receipt(cashier, cash_receipt)

    # 4. The bank statement with the transfer for the second trip is imported and matched.
    statement = tmp_path / "sao-ke-vietcombank.csv"
    statement.write_text(
        "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch,Người chuyển\n"
        f"{timezone.localdate():%d/%m/%Y},{transfer_fee.amount},"
        f"CONG TY TNHH DEMO CK PHI HA TANG {transfer_fee.payment_reference},FT{uuid.uuid4().hex[:10].upper()},"
        "CONG TY DEMO\n",
        encoding="utf-8",
    )
    cashier.goto(f"{live_server.url}/fees/payments/")
    cashier.set_input_files("#file", str(statement))
    cashier.click("button:has-text('Nhập và đối soát')")
    cashier.wait_for_load_state("networkidle")
    assert "khớp 1" in cashier.locator("main").inner_text()
    transfer_fee.refresh_from_db()
    assert transfer_fee.status == "paid"
    transfer_receipt = Receipt.objects.get(assessment=transfer_fee, status="issued")
    assert transfer_receipt.method == "transfer" and transfer_receipt.amount == transfer_fee.amount
    shot(cashier, "fees-journey-4-statement")
    cashier.goto(f"{live_server.url}/fees/receipts/{transfer_receipt.pk}/")
    _download_receipt(cashier, transfer_receipt)
    # paid: the enterprise no longer gets a notice for it
    page.goto(f"{live_server.url}/fees/assessments/{transfer_fee.pk}/")
    assert page.locator("[data-testid=notice]").count() == 0

    # 5. The cashier closes the shift: the cash counted matches the cash receipts of the shift.
    cashier.goto(f"{live_server.url}/fees/shift/")
    expected = _amount(cashier.locator("[data-testid=expected]").inner_text())
    assert expected >= cash_fee.amount
    assert cash_receipt.number_text in cashier.locator("[data-testid=shift-cash]").text_content()
    cashier.fill("#counted_cash", f"{expected:,}".replace(",", "."))
    cashier.click("button:has-text('Đóng ca')")
    cashier.wait_for_load_state("networkidle")
    assert "Đã đóng ca. Chênh lệch: 0 đồng." in cashier.locator("main").inner_text()
    shot(cashier, "fees-journey-5-shift-closed")

    # 6. The revenue report grows by both amounts, with the 10%/90% split.
    board.goto(f"{live_server.url}/fees/revenue/")
    revenue_after = _amount(board.locator("[data-testid=revenue-total] b").inner_text())
    assert revenue_after - revenue_before == cash_fee.amount + transfer_fee.amount
    board.goto(f"{live_server.url}/fees/revenue/?group=gate")
    assert "Hữu Nghị" in board.locator("[data-testid=revenue]").inner_text()
    shot(board, "fees-journey-6-revenue")
    board_context.close()

    # 7. The audit log shows each step, with who took it.
    audit_context, auditor = _context(browser, live_server, "thanhtra")
    steps = {
        "traffic.declaration.gate_in": "camera-hn",
        "fees.assessment.assess": "camera-hn",
        "fees.receipt.issue": "thungan",
        "fees.statement.import": "thungan",
        "fees.shift.close": "thungan",
    }
    for action, who in steps.items():
        auditor.goto(f"{live_server.url}/audit/?action={action}")
        log = auditor.locator("main").inner_text()
        assert action in log and who in log, (action, who)
    auditor.goto(f"{live_server.url}/audit/?object_type=fees.feeassessment&object_id={transfer_fee.pk}")
    assert "fees.assessment.assess" in auditor.locator("main").inner_text()
    auditor.goto(f"{live_server.url}/audit/?object_type=fees.receipt&object_id={transfer_receipt.pk}")
    assert "fees.receipt.issue" in auditor.locator("main").inner_text()
    auditor.goto(f"{live_server.url}/audit/")  # newest first: the chain's last steps
    shot(auditor, "fees-journey-7-audit")
    audit_context.close()
    cashier_context.close()


def _download_receipt(page, receipt):
    from cuakhau.fees.documents import verify_signed_xml

    with page.expect_download() as pdf:
        page.click("[data-testid=pdf]")
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as xml:
        page.click("[data-testid=xml]")
    signed = Path(xml.value.path()).read_bytes()
    data = verify_signed_xml(signed).signed_xml
    ns = {"b": "urn:cuakhau:bien-lai-dien-tu:1"}
    assert data.findtext(".//b:SBLai", namespaces=ns) == receipt.number_text
    assert data.findtext(".//b:TgTien", namespaces=ns) == str(receipt.amount)

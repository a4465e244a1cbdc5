"""The cashier collects cash for an assessment and opens the receipt; the public verification page finds
it; the receipt PDF downloads."""

import pytest

from cuakhau.core.reference import DEMO_PASSWORD

from .conftest import login, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def fees_zone(transactional_db, tmp_path, monkeypatch):
    """Reference data, demo users and enterprises, and the fees demo (only the loaders this flow needs)."""
    from cuakhau.core.context import acting_as
    from cuakhau.core.loaders import demo_loaders, reference_loaders

    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    wanted = {"users", "parties", "fees"}
    with acting_as(None, channel="cli"):
        for _name, loader in reference_loaders():
            loader()
        for name, loader in demo_loaders():
            if name in wanted:
                loader(stdout=None)


def test_cashier_collects_cash_and_the_public_finds_the_receipt(page, live_server, fees_zone):
    from cuakhau.fees.models import AssessmentStatus, FeeAssessment

    due = (
        FeeAssessment.objects.filter(status=AssessmentStatus.DUE, gate__code="HUUNGHI").order_by("pk").first()
    )
    assert due is not None, "the fees demo leaves debts at Hữu Nghị"
    login(page, live_server, "thungan", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/fees/counter/?q={due.payment_reference}")
    assert due.payment_reference in page.locator("[data-testid=due]").inner_text()
    page.goto(f"{live_server.url}/fees/assessments/{due.pk}/")
    assert page.locator("[data-testid=vietqr] svg").count() == 1
    page.click("[data-testid=collect-cash]")
    page.wait_for_load_state("networkidle")
    assert "/fees/receipts/" in page.url
    heading = page.locator("[data-testid=receipt-number]").inner_text()
    check_code = page.locator("[data-testid=check-code]").inner_text().strip()
    symbol, number = heading.split(" – ")[0].strip(), heading.rsplit(" ", 1)[-1]
    assert len(number) == 8 and len(check_code) == 10
    shot(page, "fees-receipt")
    with page.expect_download() as download:
        page.click("[data-testid=pdf]")
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    assert download.value.suggested_filename == f"bien-lai-{symbol}-{number}.pdf"

    # the public verification page, signed out
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/fees/lookup/")
    page.fill("#symbol", symbol)
    page.fill("#number", number)
    page.fill("#code", check_code)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    result = page.locator("[data-testid=lookup-result]").inner_text()
    assert "Biên lai hợp lệ" in result and number in result
    shot(page, "fees-lookup")

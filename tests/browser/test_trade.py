"""A leader opens the statistics, changes the period, sees the chart, downloads Excel, and generates
the 2017 report."""

import pytest

from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_reads_statistics_and_drafts_the_2017_report(page, live_server, zone):
    from cuakhau.core.reference import DEMO_PASSWORD

    login(page, live_server, "lanhdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/trade/?series=declared_at_langson_customs&kind=year&year=2023")
    assert "4.975" in page.get_by_test_id("summary-total").inner_text()
    page.wait_for_selector("#chart-months[data-ready='1']")
    page.select_option("[data-testid=period-kind]", "quarter")
    page.fill("[data-testid=period-year]", "2023")
    page.select_option("#quarter", "3")
    page.click("[data-testid=apply-period]")
    page.wait_for_load_state("networkidle")
    assert "Quý III/2023" in page.get_by_test_id("summary").inner_text()
    page.wait_for_selector("#chart-gates[data-ready='1']")
    assert int(page.get_attribute("#chart-gates", "data-points")) >= 5
    shot(page, "trade-statistics")
    with page.expect_download() as info:
        page.click("[data-testid=export-gate]")
    assert info.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/reports/")
    page.click("a:has-text('2017')")
    preview = page.get_by_test_id("report-preview").inner_text()
    assert "5.250 triệu USD, tăng 27,1% so với năm 2016" in preview
    assert "645,262 tỷ đồng, tăng 32,2%" in preview
    with page.expect_download() as info:
        page.click("[data-testid=download-docx]")
    assert info.value.suggested_filename == "bao-cao-tong-ket-2017.docx"
    shot(page, "report-2017")

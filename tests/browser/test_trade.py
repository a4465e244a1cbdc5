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


def test_on_a_phone_the_pages_fit_and_say_what_is_missing(phone, live_server, zone):
    """390 px wide: the statistics, the computed turnover and the periodic reports scroll down, never
    sideways; the period form shows the chosen kind's fields only; a period without data says so."""
    import datetime as dt

    from cuakhau.core.context import acting_as
    from cuakhau.core.reference import DEMO_PASSWORD
    from cuakhau.reports.services import report_draft
    from cuakhau.trade import selectors
    from cuakhau.trade.formatting import amount_text
    from cuakhau.trade.models import Series
    from cuakhau.trade.periods import Period
    from cuakhau.trade.services import computed_refresh, rate_set

    year = dt.date.today().year
    with acting_as(None, channel="cli"):
        rate_set(actor=None, day=dt.date(year - 1, 12, 31), currency="USD", vnd_per_unit="25000")
        rate_set(actor=None, day=dt.date(year - 1, 12, 31), currency="CNY", vnd_per_unit="3500")
        computed_refresh(actor=None, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        quarterly = report_draft(
            actor=None, year=2024, kind="periodic", period_kind="quarter", period_number=1
        )
        empty = report_draft(actor=None, year=2021, kind="periodic", period_kind="month", period_number=5)
    login(phone, live_server, "lanhdao", DEMO_PASSWORD)

    def visit(url, name):
        phone.goto(live_server.url + url)
        phone.wait_for_load_state("networkidle")
        shot(phone, name)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name

    visit(
        "/trade/?series=declared_at_langson_customs&kind=quarter&year=2024&quarter=1",
        "trade-phone-statistics",
    )
    assert phone.is_visible("#quarter") and not phone.is_visible("#month") and not phone.is_visible("#from")
    phone.select_option("[data-testid=period-kind]", "custom")
    assert phone.is_visible("#from") and not phone.is_visible("#quarter")

    visit(f"/trade/computed/?kind=year&year={year}", "trade-phone-computed")
    cards = phone.get_by_test_id("computed-summary").inner_text()
    assert cards.count("triệu USD") == 3 and f"Năm {year - 1}" in cards
    visit("/trade/computed/?kind=year&year=2019", "trade-phone-computed-empty")
    assert "Năm 2019" in phone.get_by_test_id("computed-empty").inner_text()
    assert not phone.is_visible("[data-testid=table-gate]")

    visit(f"/reports/{quarterly.pk}/", "report-phone-quarter")
    q1 = selectors.totals(
        series=Series.objects.get(code="declared_at_langson_customs"), period=Period.quarter(2024, 1)
    )
    assert f"đạt {amount_text(q1.total)}" in phone.get_by_test_id("report-preview").inner_text()
    assert phone.is_visible("textarea[name=results_text]")  # the draft can be edited
    visit(f"/reports/{empty.pk}/", "report-phone-empty-month")
    assert phone.get_by_test_id("empty-section").count() == 3

"""Numbers on the trade pages in each language: the cards, the tables and the charts' axes and tooltips
group thousands as the page's language does (5.250,5 in Vietnamese; 5,250.5 in English and Chinese)."""

import re

import pytest

from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPED = {
    "vi": re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?"),
    "en": re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?"),
    "zh-hans": re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?"),
}
# what each language shows for 1234.5 million USD in a chart's tooltip, and the year's total on its card
SHOWN = {
    "vi": ("Xuất khẩu: 1.234,5 triệu USD", "4.975"),
    "en": ("1,234.5", "4,975"),
    "zh-hans": ("1,234.5", "4,975"),
}

AXIS = """(id) => { const c = Chart.getChart(document.getElementById(id));
  const value = c.options.indexAxis === "y" ? "x" : "y";
  return c.scales[value].ticks.map(t => t.label); }"""
TOOLTIP = """(id) => { const c = Chart.getChart(document.getElementById(id));
  return c.options.plugins.tooltip.callbacks.label({dataset: c.data.datasets[0], parsed: {x: 1234.5, y: 1234.5}}); }"""


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_trade_cards_tables_and_charts_group_numbers_in_the_pages_language(page, live_server, zone, language):
    from cuakhau.core.reference import DEMO_PASSWORD

    login(page, live_server, "lanhdao", DEMO_PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/trade/?series=declared_at_langson_customs&kind=year&year=2023")
    assert page.get_attribute("html", "lang") == language
    tooltip, total = SHOWN[language]
    assert page.get_by_test_id("summary-total").inner_text().startswith(total)
    page.wait_for_selector("#chart-gates[data-ready='1']")
    ticks = page.evaluate(AXIS, "chart-gates")
    assert ticks and all(GROUPED[language].fullmatch(t) for t in ticks), ticks
    assert any(int(re.sub(r"\D", "", t)) >= 1000 for t in ticks), ticks  # so that grouping shows
    assert tooltip in page.evaluate(TOOLTIP, "chart-months")
    # a table column: three decimals in every row (thousands of USD), in the language's marks
    cells = page.locator("[data-testid=table-gate] tbody td.total").all_inner_texts()
    decimal = "," if language == "vi" else "."
    assert cells and all(GROUPED[language].fullmatch(c) and c[-4] == decimal for c in cells), cells
    shot(page, f"trade-statistics-{language}")

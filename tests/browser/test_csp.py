"""The Content-Security-Policy in a real browser: what it refuses is reported, and the check every browser
test runs (tests/browser/conftest.py, `no_csp_violations`) sees it."""

import pytest

pytestmark = [pytest.mark.browser]


def test_an_inline_style_is_refused_and_reported(browser, page, live_server):
    page.goto(f"{live_server.url}/procedures/catalogue/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{background:red}';"
        " document.head.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    # refused: the page keeps its own background
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    found = [f for watch in browser.csp_watches for f in watch.found]
    assert any("style-src" in f for f in found), found
    for watch in browser.csp_watches:
        watch.found.clear()  # seen on purpose: not a failure of this journey


def test_the_language_select_works_under_the_policy(phone, live_server):
    """The language select's inline handler is now behaviours.js (data-autosubmit); test_foundation
    opens the phone menu, the other journeys the confirm, print and reveal buttons."""
    phone.goto(f"{live_server.url}/procedures/catalogue/")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#lang-select").count() == 1
    with phone.expect_navigation():
        phone.select_option("#lang-select", "en")
    phone.wait_for_load_state("networkidle")
    assert phone.get_attribute("html", "lang") == "en"
    with phone.expect_navigation():
        phone.select_option("#lang-select", "vi")
    assert phone.get_attribute("html", "lang") == "vi"

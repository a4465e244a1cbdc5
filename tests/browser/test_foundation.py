"""The foundation's journey in a real browser: each role logs in, sees the dashboard and the gates."""

import pytest

from cuakhau.core.reference import DEMO_PASSWORD, DEMO_USERS
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("username,role", [(u, r) for u, r, _unit, _name in DEMO_USERS])
def test_each_role_logs_in_and_sees_dashboard_and_gates(page, live_server, zone, username, role):
    login(page, live_server, username, DEMO_PASSWORD)
    assert page.url.rstrip("/") == live_server.url, page.url
    assert page.locator("h1").first.inner_text() == "Tổng quan"
    assert page.get_attribute("html", "lang") == "vi"
    assert page.locator("[data-testid=who]").inner_text().strip() != ""
    # The gates card shows the real count of active gates.
    assert "9" in page.locator(".card.stat").first.inner_text()
    shot(page, f"dashboard-{role}")
    page.click("nav >> text=Cửa khẩu")
    page.wait_for_load_state("networkidle")
    rows = page.locator("[data-testid=gates-table] tbody tr")
    assert rows.count() == 9
    assert "Hữu Nghị" in page.locator("[data-testid=gates-table]").inner_text()
    page.click("text=Cửa khẩu quốc tế Hữu Nghị")
    page.wait_for_load_state("networkidle")
    assert "Youyiguan" in page.content()


def test_gates_filter_with_htmx_and_language_switch(page, live_server, zone):
    login(page, live_server, "chuyenvien", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/gates/")
    page.select_option("#kind", "specialised_route")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=gates-table] tbody tr').length === 3"
    )
    assert "kind=specialised_route" in page.url
    # The select submits its form: wait for that navigation, not for an idle network (already idle).
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.select_option("#lang-select", "vi")
    assert page.get_attribute("html", "lang") == "vi"


def test_phone_layout_has_a_menu_and_readable_tables(phone, live_server, zone):
    login(phone, live_server, "lanhdao", DEMO_PASSWORD)
    assert phone.locator("#sidenav").is_hidden()
    phone.click(".menu-toggle")
    assert phone.locator("#sidenav").is_visible()
    phone.click("nav >> text=Cửa khẩu")
    phone.wait_for_load_state("networkidle")
    # No horizontal scrolling on a 390-px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "gates-phone")


def test_wrong_password_shows_a_message(page, live_server, zone):
    login(page, live_server, "lanhdao", "not-the-password")
    assert "không đúng" in page.locator("[role=alert]").inner_text()


def test_a_person_changes_their_own_password(page, live_server, zone):
    login(page, live_server, "thanhtra", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=password-change]")
    assert page.locator("h1").first.inner_text() == "Đổi mật khẩu"
    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", "Thanh-tra-moi-2027!")
    page.fill("#id_new_password2", "Thanh-tra-moi-2027!")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    assert "Đã đổi mật khẩu" in page.content()
    shot(page, "password-changed")
    with page.expect_navigation():
        page.click("header button[type=submit]")  # log out
    login(page, live_server, "thanhtra", DEMO_PASSWORD)
    assert "không đúng" in page.locator("[role=alert]").inner_text()
    login(page, live_server, "thanhtra", "Thanh-tra-moi-2027!")
    assert page.url.rstrip("/") == live_server.url, page.url

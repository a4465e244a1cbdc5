"""Done when: a public incident report with a photo reaches the gate centre's list, is handed to a
force and closed, and shows in the monthly statistics; the public form refuses non-image files."""

import pytest

from cuakhau.core.reference import DEMO_PASSWORD
from tests.browser.conftest import login, shot
from tests.factories import image_bytes

pytestmark = [pytest.mark.browser]


def _act(page, action, fields=None):
    box = page.locator(f"details[data-action={action}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for selector, value in (fields or {}).items():
        if selector.startswith("select"):
            box.locator(selector.split(":", 1)[1]).select_option(value)
        else:
            box.locator(selector).fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_public_report_to_closed_and_counted(browser, phone, page, live_server, zone, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    # A member of the public, on a phone, without an account.
    phone.goto(f"{live_server.url}/incidents/report/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.select_option("#id_gate", label="Cửa khẩu quốc tế Hữu Nghị")
    phone.select_option("#id_kind", "congestion")
    phone.fill("#id_description", "Xe container dừng đỗ chắn lối vào bãi, ùn tắc kéo dài")
    phone.set_input_files(
        "#id_photo", files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}]
    )
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "không phải ảnh JPEG, PNG hoặc WebP" in phone.locator(".field.has-error").inner_text()
    phone.set_input_files(
        "#id_photo",
        files=[{"name": "xe.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(exif_gps=True)}],
    )
    phone.fill("#id_place", "Cổng vào bãi hàng xuất")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    code = phone.locator("[data-testid=tracking-code]").inner_text().strip()
    assert code.startswith("VV-")
    shot(phone, "incident-public-received")

    # The Hữu Nghị gate centre sees it in its list and triages it, then hands it to customs.
    login(page, live_server, "dieuhanh", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/incidents/?status=reported")
    table = page.locator("[data-testid=incidents-table]")
    assert code in table.inner_text()
    page.click(f"text={code}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".photos img").count() == 1
    _act(page, "triage", {"select:select[name=triage-severity]": "high"})
    assert "Đã phân loại" in page.locator(".badge[data-status]").first.inner_text()
    _act(page, "hand", {"select:select[name=hand-force_kind]": "customs"})
    assert "Hải quan" in page.locator("[data-testid=force]").inner_text()
    url = page.url

    # The customs officer at Hữu Nghị works on it.
    officer = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    login(officer, live_server, "haiquan", DEMO_PASSWORD)
    officer.goto(url)
    _act(officer, "start")
    _act(
        officer,
        "resolve",
        {
            "textarea[name=resolve-resolution]": "Đã yêu cầu di chuyển xe, giải tỏa lối vào",
            "textarea[name=resolve-public_note]": "Đã giải tỏa lối vào bãi.",
        },
    )
    officer.context.close()

    # The gate centre confirms and closes it.
    page.goto(url)
    _act(page, "close")
    assert "Đã đóng" in page.locator(".badge[data-status]").first.inner_text()
    timeline = page.locator("[data-testid=timeline]").inner_text()
    for label in (
        "Mới tiếp nhận",
        "Đã phân loại",
        "Đã chuyển lực lượng chức năng",
        "Đang xử lý",
        "Đã xử lý xong",
        "Đã đóng",
    ):
        assert label in timeline
    shot(page, "incident-closed")

    # It shows in this month's statistics for Hữu Nghị, as the selectors count it.
    from django.utils import timezone

    from cuakhau.incidents.selectors import monthly_stats

    page.goto(f"{live_server.url}/incidents/stats/")
    today = timezone.localdate()
    stats = monthly_stats(user=_user("dieuhanh"), year=today.year, month=today.month)
    kinds = [k for k, _label in stats.kinds]
    huunghi = next(r for r in stats.rows if r.gate.code == "HUUNGHI")
    cell = page.locator("[data-testid=stats-table] tr[data-gate=HUUNGHI] td").nth(
        1 + kinds.index("congestion")
    )
    assert int(cell.inner_text()) == huunghi.counts[kinds.index("congestion")] >= 1
    shot(page, "incident-stats")

    # The reporter reads the answer, without the internal notes.
    phone.goto(f"{live_server.url}/incidents/track/?code={code}")
    status = phone.locator("[data-testid=public-status]").inner_text()
    assert "Đã đóng" in status and "Đã giải tỏa lối vào bãi." in status
    assert "Đã yêu cầu di chuyển xe" not in phone.content()


def _user(username):
    from cuakhau.core.models import User

    return User.objects.get(username=username)

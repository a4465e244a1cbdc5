"""Cooperation and feedback in a real browser: the Board records a meeting with the Pingxiang side and
the memorandum signed there, with a commitment owned by the Hữu Nghị centre; the centre reports it done;
a member of the public rates the centre's service from a receipt's link on a phone, and the leader reads
the figures."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser]


def _submit(page):
    page.click("main button.primary[type=submit]")
    page.wait_for_load_state("networkidle")


def test_meeting_agreement_commitment_to_done_and_a_rating(browser, page, phone, live_server, zone):
    from cuakhau.cooperation.models import Agreement, Commitment, Meeting
    from cuakhau.core.feedback import feedback_link
    from cuakhau.core.models import AuditEvent, Unit, User

    day = timezone.localdate() - datetime.timedelta(days=2)
    login(page, live_server, "chuyenvien", DEMO_PASSWORD)
    # 1. The meeting, with its minutes in both languages.
    page.goto(f"{live_server.url}/cooperation/meetings/new/")
    page.fill("#id_title", "Hội đàm về phân luồng xe chở hoa quả")
    page.fill("#id_held_on", day.isoformat())
    page.fill("#id_place", "Cửa khẩu Hữu Nghị")
    page.check("label:has-text('Chính quyền nhân dân thành phố Bằng Tường') input")
    page.fill("#id_participants_vn", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn")
    page.fill("#id_participants_cn", "凭祥市人民政府")
    page.fill("#id_minutes_vi", "Hai bên thống nhất phân luồng xe chở hoa quả vào giờ cao điểm.")
    page.fill("#id_minutes_zh", "双方同意在高峰时段对水果运输车辆进行分流。")
    _submit(page)
    meeting = Meeting.objects.get(title="Hội đàm về phân luồng xe chở hoa quả")
    assert page.url.endswith(f"/cooperation/meetings/{meeting.pk}/")
    assert "双方同意" in page.content()
    # 2. The memorandum signed at it, then its commitment for the Hữu Nghị centre.
    page.goto(f"{live_server.url}/cooperation/agreements/new/")
    page.select_option("#id_kind", "memorandum")
    page.fill("#id_title_vi", "Biên bản ghi nhớ về phân luồng xe chở hoa quả")
    page.fill("#id_signed_on", day.isoformat())
    page.fill("#id_parties_vn", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn")
    page.check("label:has-text('Chính quyền nhân dân thành phố Bằng Tường') input")
    page.select_option("#id_meeting", str(meeting.pk))
    _submit(page)
    agreement = Agreement.objects.get(title_vi="Biên bản ghi nhớ về phân luồng xe chở hoa quả")
    assert page.url.endswith(f"/cooperation/agreements/{agreement.pk}/")
    page.click("summary:has-text('Thêm cam kết')")
    page.fill("#id_text_vi", "Trao đổi số liệu xe chở hoa quả hằng ngày trước 17 giờ")
    page.select_option("#id_owner_unit", label="Trung tâm Quản lý cửa khẩu Hữu Nghị")
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.click("form[action$='/commitments/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    commitment = Commitment.objects.get(agreement=agreement)
    assert "Trao đổi số liệu xe chở hoa quả" in page.content()
    shot(page, "cooperation-agreement")

    # 3. The centre reports it: it may move it forward, not drop it.
    centre = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    login(centre, live_server, "dieuhanh", DEMO_PASSWORD)
    centre.goto(f"{live_server.url}/cooperation/actions/{commitment.pk}/")
    options = centre.locator("#id_status option").evaluate_all("els => els.map(e => e.value)")
    assert "done" in options and "cancelled" not in options
    centre.select_option("#id_status", "done")
    centre.fill("#id_note", "Đã gửi số liệu hằng ngày từ tuần này")
    _submit(centre)
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.done_on == timezone.localdate()
    shot(centre, "cooperation-commitment-done")
    centre.context.close()
    page.goto(f"{live_server.url}/cooperation/agreements/{agreement.pk}/")
    assert "Hoàn thành" in page.content()
    assert AuditEvent.objects.filter(
        action="cooperation.commitment.complete", object_id=str(commitment.pk)
    ).exists()

    # 4. A driver rates the Hữu Nghị centre's cashier from the link on a receipt, without an account.
    cashier = User.objects.get(username="thungan")
    link = feedback_link("receipt", "BL-TEST-1", Unit.objects.get(code="ttqlck-huu-nghi"), staff=cashier)
    phone.goto(f"{live_server.url}{link}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.check("input[name=rating][value='5']")
    phone.fill("textarea[name=comment]", "Thu phí nhanh, hướng dẫn rõ")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "Cảm ơn bạn đã đánh giá" in phone.content()
    shot(phone, "feedback-thanks")

    # 5. The leader reads it in the figures; a department's staff may not.
    leader = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    login(leader, live_server, "lanhdao", DEMO_PASSWORD)
    leader.goto(f"{live_server.url}/plans/feedback/")
    figures = leader.content()
    assert cashier.display_name in figures and "Thu phí nhanh, hướng dẫn rõ" in figures
    shot(leader, "feedback-figures")
    leader.context.close()
    assert page.goto(f"{live_server.url}/plans/feedback/").status == 404

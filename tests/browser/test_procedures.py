"""Done when: a business submits a work-permit dossier online over Tết, gets a slip whose due date skips
the holiday, staff ask for a supplement, process it and return the result; the public lookup shows each
step; a dossier allowed to run late gets the apology letter and cannot be re-appointed twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cuakhau.core.reference import DEMO_PASSWORD
from cuakhau.procedures.models import Dossier
from tests.browser.conftest import login, shot
from tests.factories import PDF_BYTES

pytestmark = [pytest.mark.browser]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = {"name": "don-de-nghi.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def _as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, DEMO_PASSWORD)


def _act(page, action, fields=None, files=None):
    box = page.locator(f"details[data-action={action}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for selector, value in (fields or {}).items():
        box.locator(selector).fill(value)
    for selector, value in (files or {}).items():
        box.locator(selector).set_input_files(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_work_permit_over_tet_to_lookup_and_apology(page, live_server, zone, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    from cuakhau.core.workcal.reference import load_holidays
    from cuakhau.procedures.services import reception

    load_holidays()
    # The business submits online.
    _as(page, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/procedures/catalogue/ld-cap-gpld/")
    assert "10 ngày làm việc" in page.inner_text("[data-testid=deadline]")
    page.click("text=Nộp hồ sơ trực tuyến")
    page.wait_for_load_state("networkidle")
    shot(page, "procedures-submit-form")
    page.fill("#id_subject", "GPLĐ cho chuyên gia Lý Minh (Tết)")
    page.set_input_files("#id_files", files=[PDF])
    # ...on the evening of lunar new year's day 2026: the submission service's clock reads that moment
    # (the live server runs in this process), so the code, the time and the audit event are Tết's.
    tet_evening = datetime(2026, 2, 17, 21, tzinfo=VN)
    with monkeypatch.context() as clock:
        clock.setattr(reception, "at_or_now", lambda at=None: at or tet_evening)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
    shot(page, "procedures-submit-result")
    code = page.inner_text("[data-testid=code]")
    assert "-260217-" in code
    dossier = Dossier.objects.get(code=code)
    assert dossier.submitted_at == tet_evening and dossier.channel == "online"
    shot(page, "procedures-submitted")

    # The desk receives it: the slip's due date skips Tết.
    _as(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/procedures/dossiers/{dossier.pk}/")
    _act(page, "receive")
    assert page.inner_text("[data-testid=due]") == "06/03/2026 17:00"
    pdf = page.request.get(f"{live_server.url}/procedures/dossiers/{dossier.pk}/forms/01.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    _act(page, "handoff")
    _act(
        page,
        "request_supplement",
        {
            "textarea[name='request_supplement-items']": "Bổ sung phiếu lý lịch tư pháp",
            "textarea[name='request_supplement-internal_note']": "NỘI BỘ: hồ sơ cần soát kỹ",
        },
    )
    assert "Chờ bổ sung hồ sơ" in page.inner_text("main")
    shot(page, "procedures-supplement")

    # The business supplies the document.
    _as(page, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/procedures/dossiers/{dossier.pk}/")
    assert "NỘI BỘ" not in page.inner_text("main")
    _act(page, "supplement", files={"input[type=file]": [dict(PDF, name="ly-lich.pdf")]})
    assert "Đang giải quyết" in page.inner_text("main")

    # Staff process it and return the result.
    _as(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/procedures/dossiers/{dossier.pk}/")
    _act(page, "handoff")
    _act(page, "process", {"textarea[name='process-result_summary']": "Cấp giấy phép lao động số 01/GPLĐ"})
    _as(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/procedures/dossiers/{dossier.pk}/")
    _act(page, "return")
    assert "Đã trả kết quả" in page.inner_text("main")

    # The public lookup, without an account, shows each step and no internal note.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/procedures/lookup/?code={code}")
    page.fill("#id_key", Dossier.objects.get(code=code).lookup_key_display)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    history = page.inner_text("[data-testid=public-history]")
    for label in (
        "Mới nộp",
        "Đã tiếp nhận",
        "Chờ bổ sung hồ sơ",
        "Đang giải quyết",
        "Đã có kết quả",
        "Đã trả kết quả",
    ):
        assert label in history
    assert "lý lịch tư pháp" in history and "NỘI BỘ" not in page.content()
    shot(page, "procedures-lookup")

    # A dossier allowed to run late: the apology letter, then no second re-appointment.
    late = Dossier.objects.filter(
        status="processing", due_at__lt=datetime.now(VN), apology__isnull=True
    ).first()
    assert late is not None
    _as(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/procedures/dossiers/{late.pk}/")
    _act(page, "apologise", {"textarea[name='apologise-reason']": "Chờ ý kiến của Sở Xây dựng"})
    assert "Đã hẹn lại một lần" in page.inner_text("[data-testid=apology]")
    assert page.locator("details[data-action=apologise]").count() == 0
    assert page.locator("li[data-form='04']").count() == 1
    shot(page, "procedures-apology")
    # Forcing a second one is refused with the field named.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    second = page.request.post(
        f"{live_server.url}/procedures/dossiers/{late.pk}/apologise/",
        form={
            "csrfmiddlewaretoken": token,
            "apologise-reason": "Lần hai",
            "apologise-new_due_at": "2099-01-05T17:00",
        },
        headers={"Referer": f"{live_server.url}/procedures/dossiers/{late.pk}/"},
    )
    assert second.status == 409 and "không được hẹn lại lần thứ hai" in second.text()


def test_catalogue_version_desk_fee_withdrawal_refusal_and_their_audit(
    page, live_server, zone, tmp_path, settings
):
    """The other workflows in the browser: the Board publishes a new version of a procedure, the desk
    receives a dossier in person under it, asks for the fee and records it; the business withdraws and
    the desk stops it (form 05); an online dossier is refused (form 03); the inspector reads each step
    in the audit log."""
    settings.MEDIA_ROOT = tmp_path
    _as(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/procedures/catalogue/tm-vpdd/")
    with page.expect_navigation():
        page.click("[data-testid=publish]")
    page.fill("#id_deadline", "8")
    page.fill("#id_fee", "2.500.000")
    page.uncheck("#id_to_be_confirmed")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Đã công bố phiên bản 2" in page.inner_text(".messages")
    assert "8 ngày làm việc" in page.inner_text("[data-testid=deadline]")
    assert "chờ Ban xác nhận" not in page.inner_text("[data-version='2']")
    shot(page, "procedures-new-version")

    # The desk receives a dossier in person: it is under version 2, with its fee.
    page.goto(f"{live_server.url}/procedures/dossiers/desk/")
    page.select_option("#id_procedure", "tm-vpdd")
    page.fill("#id_subject", "Thành lập văn phòng đại diện tại Đồng Đăng")
    page.fill("#id_applicant_name", "Công ty TNHH Thương mại Xuất nhập khẩu Demo Lạng Sơn")
    page.fill("#id_applicant_id", "0100233488")
    page.set_input_files("#id_files", files=[PDF])
    with page.expect_navigation():
        page.click("main button[type=submit]")
    code = page.inner_text("[data-testid=code]")
    desk_dossier = Dossier.objects.get(code=code)
    assert desk_dossier.version.number == 2 and desk_dossier.channel == "desk"
    assert "Đã tiếp nhận" in page.inner_text("main")
    assert page.locator("li[data-form='01']").count() == 1
    _act(page, "handoff")
    box = page.locator("details[data-action=request_fee]")
    box.locator("summary").click()
    # the form shows the version's fee grouped, as it reads numbers back (core.numbers)
    assert box.locator("input[name='request_fee-amount']").input_value() == "2.500.000"
    _act(page, "request_fee")
    assert "Chờ nộp phí, lệ phí" in page.inner_text("main")
    _act(page, "pay_fee")
    assert "Đang giải quyết" in page.inner_text("main")

    # The business withdraws it; the desk stops it (form 05).
    _as(page, live_server, "doanhnghiep")
    page.goto(f"{live_server.url}/procedures/dossiers/{desk_dossier.pk}/")
    _act(page, "withdraw", {"textarea[name='withdraw-reason']": "Đổi địa điểm đặt văn phòng"})
    assert "Xin rút hồ sơ" in page.inner_text("main")
    _as(page, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/procedures/dossiers/{desk_dossier.pk}/")
    _act(page, "stop")
    assert "Dừng giải quyết" in page.inner_text("main")
    assert page.locator("li[data-form='05']").count() == 1

    # An online dossier waiting for reception is refused with the reason (form 03).
    waiting = Dossier.objects.filter(status="new").first()
    assert waiting is not None
    page.goto(f"{live_server.url}/procedures/dossiers/{waiting.pk}/")
    _act(page, "refuse", {"textarea[name='refuse-reason']": "abc"})  # too short: refused on the field
    assert "Lý do từ chối quá ngắn: cần ít nhất 5 ký tự." in page.inner_text(
        "details[data-action=refuse] .has-error .error"
    )
    _act(page, "refuse", {"textarea[name='refuse-reason']": "Hồ sơ không thuộc thẩm quyền của Ban"})
    assert "Từ chối tiếp nhận" in page.inner_text("main")
    assert page.locator("li[data-form='03']").count() == 1

    # The inspector reads each step in the audit log, with who took it.
    _as(page, live_server, "thanhtra")
    page.goto(f"{live_server.url}/audit/?object_type=procedures.dossier&object_id={desk_dossier.pk}")
    log = page.locator("main").inner_text()
    for action in ("desk", "handoff", "request_fee", "pay_fee", "withdraw", "stop"):
        assert f"procedures.dossier.{action}" in log, action
    assert "chuyenvien" in log and "doanhnghiep" in log
    page.goto(f"{live_server.url}/audit/?action=procedures.version.publish")
    assert "procedures.version.publish" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/audit/?object_type=procedures.dossier&object_id={waiting.pk}")
    assert "procedures.dossier.refuse" in page.locator("main").inner_text()
    shot(page, "procedures-audit")

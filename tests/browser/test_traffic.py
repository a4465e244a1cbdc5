"""The traffic journey in a real browser (issue 3, 'Done when'): an enterprise user declares a trip,
the gate operator approves it and calls the vehicle forward from the live board, a device posts gate-in
through the API, the customs and plant-quarantine officers record their checks, the device posts
gate-out and Hữu Nghị's exit rule refuses it for the unpaid fee (the amount and the VietQR at the
barrier, on the operator's phone), the Board's leader lets it out with a reason, the device posts
gate-out again and it crosses (issue 12); after each step the live board and the driver's page (from
the QR pass) show it, and the audit log holds every step. The border-guard and medical checks, for
which the demo has no logins, are recorded through the service."""

import datetime
import uuid

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD
from tests.browser.conftest import ARGS, login, shot  # noqa: F401

pytestmark = [pytest.mark.browser]


def _context(browser, live_server, username, password=DEMO_PASSWORD, **kwargs):
    kwargs.setdefault("viewport", {"width": 1366, "height": 900})
    context = browser.new_context(locale="vi-VN", **kwargs)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    if not page.locator("#id_username").count():
        raise AssertionError(page.url + page.content()[:3000])
    login(page, live_server, username, password)
    return context, page


def _officer(unit_code, username):
    from cuakhau.core.models import Unit
    from tests.factories import UserFactory

    return UserFactory(
        role="agency_officer",
        unit=Unit.objects.get(code=unit_code),
        username=username,
        password=DEMO_PASSWORD,
    )


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


def _post_event(page, live_server, secret, kind, plate):
    response = page.request.post(
        f"{live_server.url}/api/v1/traffic/gate-events",
        data={"kind": kind, "yard": "bai-huu-nghi", "plate": plate},
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status == 201, response.text()
    return response.json()


def test_declare_approve_call_gate_in_checks_gate_out(page, browser, live_server, zone):
    from cuakhau.core.context import acting_as
    from cuakhau.parties.models import Driver, Enterprise
    from cuakhau.parties.services import vehicle_register
    from cuakhau.traffic import passes, services
    from cuakhau.traffic.models import Declaration

    with acting_as(None, channel="cli"):
        vehicle_register(
            actor=None,
            plate="12C-567.89",
            kind="truck",
            tonnage="15",
            owner=Enterprise.objects.get(tax_code="0100233488"),
        )
    secret = _device_token()
    _officer("kdtv-vung-7", "kiemdichtv")
    driver = Driver.objects.get(user__username="laixe")

    # 1. The enterprise declares the trip in the browser.
    login(page, live_server, "doanhnghiep", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/traffic/declarations/new/")
    page.select_option("#id_gate", label="Cửa khẩu quốc tế Hữu Nghị")
    page.select_option("#id_flow", "export")
    page.fill("#id_vehicle", "12c 567.89")
    page.select_option("#id_driver", str(driver.pk))
    arrival = timezone.localtime() + datetime.timedelta(hours=2)
    page.fill("#id_planned_arrival", arrival.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_lines-0-hs_code", "0703.10.19")
    page.fill("#id_lines-0-description", "Hành tây củ")
    page.fill("#id_lines-0-quantity", "20000")
    page.fill("#id_lines-0-unit", "kg")
    page.fill("#id_lines-0-gross_kg", "20800")
    page.fill("#id_lines-0-value", "240000000")
    page.click("button[name=and_submit]")
    page.wait_for_load_state("networkidle")
    errors = page.locator(".error, .errors").all_inner_texts()
    assert not errors, errors
    assert "Đã gửi" in page.locator("[data-status]").first.inner_text()
    d = Declaration.objects.get(vehicle__plate="12C-567.89")
    assert d.status == "submitted" and d.created_by.username == "doanhnghiep"
    shot(page, "traffic-1-declared")

    # 2. The gate operator approves it.
    op_context, op = _context(browser, live_server, "dieuhanh")
    op.goto(f"{live_server.url}/traffic/declarations/{d.pk}/")
    op.click("[data-testid=actions] button:has-text('Duyệt')")
    op.wait_for_load_state("networkidle")
    d.refresh_from_db()
    assert d.status == "approved" and d.queue_number
    pass_url = f"{live_server.url}{passes.pass_path(d)}"
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="vi-VN"
    ).new_page()
    phone.goto(pass_url)
    assert "Thứ tự:" in phone.locator("[data-testid=driver-place]").inner_text()
    assert "12C-567.89" in phone.content()
    shot(phone, "traffic-2-driver-queue")

    # 3. ... and calls it forward from the live board (others wait ahead, so with a reason).
    op.goto(f"{live_server.url}/traffic/board/HUUNGHI/")
    row = op.locator("[data-testid=queue-exit] tr", has_text="12C-567.89")
    assert row.count() == 1
    if row.locator("input[name=reason]").count():
        row.locator("input[name=reason]").fill("Hàng rau củ tươi, ưu tiên thông quan")
    row.locator("button:has-text('Gọi vào')").click()
    op.wait_for_load_state("networkidle")
    d.refresh_from_db()
    assert d.status == "called"
    assert "12C-567.89" in op.locator("[data-testid=called-exit]").inner_text()
    phone.goto(pass_url)
    assert "Mời xe vào cửa khẩu" in phone.content()
    shot(op, "traffic-3-board-called")

    # 4. The yard camera posts gate-in; the live board picks it up by itself (htmx polling).
    event = _post_event(op, live_server, secret, "in", "12C56789")
    assert event["result"] == "in_yard" and event["declaration"]["id"] == d.pk
    op.wait_for_function(
        "() => document.querySelector('[data-testid=in-yard-exit]').innerText.includes('12C-567.89')",
        timeout=25000,
    )
    phone.goto(pass_url)
    assert "Xe đang trong bãi" in phone.content()

    # 5. Customs and plant quarantine record their checks; gate-out is refused until all have passed.
    blocked = _post_event(op, live_server, secret, "out", "12C-567.89")
    assert blocked["result"] == "blocked" and "Chờ kiểm tra" in blocked["detail"]
    for username in ("haiquan", "kiemdichtv"):
        context, officer = _context(browser, live_server, username)
        officer.goto(f"{live_server.url}/traffic/checks/")
        officer.locator(f"tr[data-declaration='{d.number}'] button[value=passed]").click()
        officer.wait_for_load_state("networkidle")
        assert officer.locator(f"tr[data-declaration='{d.number}']").count() == 0  # off the pending list
        context.close()
    with acting_as(None, channel="cli"):
        for check in d.checks.filter(status="pending"):
            services.check_record(actor=None, check=check, status="passed")
    phone.goto(pass_url)
    assert phone.locator(".checks .badge.ok").count() == 4

    # 6. The device posts gate-out: Hữu Nghị's exit rule wants the fee paid first, so the barrier is
    #    answered with the amount due and the VietQR to pay it, and the truck stays in the yard.
    #    (The demo tariff's illustrative rates are confirmed by the Board's staff first, through the
    #    service: a provisional fee can be neither paid nor shown as a VietQR.)
    from cuakhau.core.models import User
    from cuakhau.fees.confirmations import unconfirmed_rules
    from cuakhau.fees.models import FeeAssessment
    from cuakhau.fees.services import rule_confirm
    from cuakhau.fees.vietqr import parse_payload

    d.refresh_from_db()
    assessment = FeeAssessment.objects.get(pk=d.fee_assessment_id)
    staff = User.objects.get(username="chuyenvien")
    with acting_as(staff, channel="web"):
        for rule in unconfirmed_rules(assessment):
            rule_confirm(actor=staff, rule=rule, citation="Nghị quyết 09/2025/NQ-HĐND, biểu kèm theo")
    assessment.refresh_from_db()
    assert assessment.status == "due", "the demo enterprise's fee must still be due at gate-out"
    refused = _post_event(op, live_server, secret, "out", "12C-567.89")
    assert (refused["result"], refused["accepted"]) == ("unpaid", False)
    assert refused["payment"]["amount_due"] == assessment.amount
    qr = parse_payload(refused["payment"]["vietqr"])
    assert (qr.amount, qr.purpose) == (assessment.amount, assessment.payment_reference)
    d.refresh_from_db()
    assert d.status == "in_yard"
    # The operator, on a phone at the barrier, opens the refusal from the exceptions list.
    barrier_context, barrier = _context(
        browser, live_server, "dieuhanh", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    barrier.goto(f"{live_server.url}/traffic/yards/")
    barrier.click(f"[data-testid=unpaid-{refused['exception']}]")
    barrier.wait_for_load_state("networkidle")
    amount_text = barrier.locator("[data-testid=amount-due]").inner_text()
    assert amount_text.replace(".", "").replace(" đ", "") == str(assessment.amount), amount_text
    assert barrier.locator("[data-testid=vietqr] svg").count() == 1
    assert assessment.payment_reference in barrier.locator("[data-testid=payment-reference]").inner_text()
    assert "Chưa nộp phí" in barrier.locator("[data-testid=exception-reason]").inner_text()
    assert barrier.locator("[data-testid=release]").count() == 0  # an operator alone may not let it out
    width = barrier.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the refusal page scrolls sideways on a phone: {width}px"
    shot(barrier, "traffic-6-exit-refused-390")
    exception_url = barrier.url
    barrier_context.close()

    # 7. The Board's leader lets the truck out with a reason; the release is listed with the exceptions.
    leader_context, leader = _context(browser, live_server, "lanhdao")
    leader.goto(exception_url)
    leader.fill("#id_reason", "Hàng rau củ tươi; doanh nghiệp nộp phí trong ngày")
    leader.click("[data-testid=release] button[type=submit]")
    leader.wait_for_load_state("networkidle")
    assert "Cho ra khi chưa nộp phí" in leader.locator("[data-testid=exception-status]").inner_text()
    leader.goto(f"{live_server.url}/traffic/yards/")
    assert "12C-567.89" in leader.locator("[data-testid=released-exits]").inner_text()
    leader_context.close()

    # 8. The device posts gate-out again: the vehicle crosses (the fee stays owed).
    crossed = _post_event(op, live_server, secret, "out", "12C-567.89")
    assert crossed["result"] == "crossed"
    assessment.refresh_from_db()
    assert assessment.status == "due"
    op.goto(f"{live_server.url}/traffic/board/HUUNGHI/")
    assert "12C-567.89" in op.locator("[data-testid=crossed-exit]").inner_text()
    phone.goto(pass_url)
    assert "Đã qua cửa khẩu" in phone.content()
    shot(phone, "traffic-6-driver-crossed")
    op_context.close()

    # 9. The audit log holds every step, with who did it.
    audit_context, page = _context(browser, live_server, "thanhtra")
    page.goto(f"{live_server.url}/audit/?object_type=traffic.declaration&object_id={d.pk}")
    log = page.locator("main").inner_text()
    for action in (
        "traffic.declaration.create",
        "traffic.declaration.submit",
        "traffic.declaration.approve",
        "traffic.declaration.call_forward",
        "traffic.declaration.gate_in",
        "traffic.declaration.exit_refused",
        "traffic.declaration.exit_release",
        "traffic.declaration.cross",
    ):
        assert action in log, action
    for who in ("doanhnghiep", "dieuhanh", "camera-hn", "lanhdao"):
        assert who in log, who
    page.goto(f"{live_server.url}/audit/?action=check.pass")
    assert (
        "haiquan" in page.locator("main").inner_text() and "kiemdichtv" in page.locator("main").inner_text()
    )
    shot(page, "traffic-7-audit")
    audit_context.close()


def test_public_board_needs_no_login_and_shows_no_plates(page, live_server, zone):
    page.goto(f"{live_server.url}/traffic/public/")
    text = page.locator("[data-testid=public-board]").inner_text()
    assert "Hữu Nghị" in text
    assert "12C-123.45" not in page.content() and "Hà Văn Sơn" not in page.content()


def test_demo_driver_sees_the_trip_on_the_phone(phone, live_server, zone):
    login(phone, live_server, "laixe", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/traffic/")
    assert "Thứ tự:" in phone.locator("[data-testid=trip]").first.inner_text()
    phone.click("text=Mở thẻ QR")
    phone.wait_for_load_state("networkidle")
    assert "12C-123.45" in phone.content()
    shot(phone, "traffic-driver-phone")

"""Two-factor login in a real browser: a new gate operator enrols an authenticator after the password
(QR code and secret, first code, ten recovery codes), later signs in with a recovery code, and the page
fits a phone."""

import pytest

from cuakhau.core.context import acting_as
from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from cuakhau.core.services import user_create
from tests.browser.conftest import otp_code_from_secret, otp_submit, shot

pytestmark = [pytest.mark.browser]

PASSWORD = "Cua-so-xanh-47-Lang!"


def _new_operator(username):
    with acting_as(None, channel="cli"):
        return user_create(
            actor=None,
            username=username,
            password=PASSWORD,
            role=Role.GATE_OPERATOR,
            unit=Unit.objects.get(code="ttqlck-huu-nghi"),
            full_name="Nông Văn Mới",
        )


def _password(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_new_operator_enrols_then_signs_in_with_a_recovery_code(page, live_server, zone):
    _new_operator("dieuhanh.moi")
    _password(page, live_server, "dieuhanh.moi")
    assert "/account/two-factor/enrol/" in page.url, page.url
    # Any other page sends the half-signed-in session back here.
    page.goto(f"{live_server.url}/gates/")
    assert "/account/two-factor/enrol/" in page.url
    assert page.locator("[data-testid=otp-qr] svg").is_visible()
    secret = page.inner_text("[data-testid=otp-secret]").strip()
    assert len(secret) == 32
    shot(page, "twofactor-enrol")

    otp_submit(page, "000000" if otp_code_from_secret(secret) != "000000" else "111111")
    assert page.locator(".field.has-error").count() == 1
    page.wait_for_timeout(1200)  # django-otp's delay after a wrong code (1 s); the refusal has its test

    otp_submit(page, otp_code_from_secret(secret))
    assert "/account/two-factor/recovery-codes/" in page.url
    codes = [c.strip() for c in page.locator("[data-testid=otp-codes] code").all_inner_texts()]
    assert len(codes) == 10
    shot(page, "twofactor-recovery-codes")
    with page.expect_navigation():
        page.click("[data-testid=otp-recovery-codes] a.button")
    assert page.url == f"{live_server.url}/gates/"  # where the operator was going

    # Shown once: the codes page now goes to the account's two-factor page.
    page.goto(f"{live_server.url}/account/two-factor/recovery-codes/")
    assert "/account/two-factor/" in page.url
    assert "10" in page.inner_text("[data-testid=otp-codes-left]")
    shot(page, "twofactor-account")

    with page.expect_navigation():
        page.click("form[action='/logout/'] button")
    _password(page, live_server, "dieuhanh.moi")
    assert "/login/code/" in page.url
    shot(page, "twofactor-code")
    otp_submit(page, codes[0])
    assert page.locator("h1").first.inner_text() == "Tổng quan"
    assert "còn 9 mã" in page.inner_text("body")


def test_the_enrolment_and_code_pages_fit_a_phone(phone, live_server, zone):
    _new_operator("dieuhanh.dt")
    _password(phone, live_server, "dieuhanh.dt")
    assert "/account/two-factor/enrol/" in phone.url
    assert phone.locator("[data-testid=otp-qr] svg").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "twofactor-enrol-phone")
    otp_submit(phone, otp_code_from_secret(phone.inner_text("[data-testid=otp-secret]")))
    assert phone.locator("[data-testid=otp-codes] code").count() == 10
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "twofactor-recovery-codes-phone")

"""Logging in and out, throttling of failed logins, idle sessions, language, error pages."""

import time

import pytest
from django.urls import reverse

from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.otp import pass_code

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_login_shows_the_vietnamese_dashboard(client):
    user = UserFactory(role=Role.BOARD_LEADER, full_name="Hoàng Văn Minh")
    response = login(client, user.username)
    assert response.status_code == 302
    assert pass_code(client, user).status_code == 302  # the Board's staff pass a second factor
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="vi"' in html and "Tổng quan" in html and "Hoàng Văn Minh" in html


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert AuditEvent.objects.filter(action="core.auth.login_failed", object_id=user.username).count() == 1


def test_repeated_failures_are_throttled_even_with_the_right_password(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        login(client, user.username, "wrong-password")
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from another address is not affected.
    other = UserFactory()
    assert login(client.__class__(REMOTE_ADDR="10.0.0.9"), other.username).status_code == 302


def test_login_and_logout_are_audited_with_request_id_and_address(client):
    user = UserFactory()
    response = client.post(
        reverse("core:login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_REQUEST_ID="req-123",
        REMOTE_ADDR="192.0.2.10",
    )
    assert response["X-Request-ID"] == "req-123"
    event = AuditEvent.objects.get(action="core.auth.login")
    assert event.actor == user and event.request_id == "req-123" and event.client_ip == "192.0.2.10"
    assert event.unit == user.unit
    client.post(reverse("core:logout"))
    assert AuditEvent.objects.filter(action="core.auth.logout", actor=user).exists()


def test_idle_session_expires(client, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    page = client.get(response["Location"])
    assert "hết hạn" in page.content.decode()


def test_language_switch_to_english_and_chinese(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/").content.decode()


def test_unknown_page_is_a_404_page_not_a_trace(client):
    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_modules_not_built_say_so(client):
    # Every module of the navigation is built now: none leads to the "not built yet" page, which
    # answers 404 for a built module and for an unknown one.
    from cuakhau.core.navigation import modules

    assert len(modules()) == 15  # each app registered its entry, with core's four
    assert [m.key for m in modules() if not m.url_name] == []
    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    assert client.get(reverse("module_planned", args=["auctions"])).status_code == 404
    assert client.get(reverse("module_planned", args=["nope"])).status_code == 404


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_vietnamese_by_default_whatever_the_browser_asks(client):
    client.force_login(UserFactory())
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_zone_and_board_names_follow_the_language(client):
    client.force_login(UserFactory())
    assert "Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert "同登–谅山边境口岸经济区" in html and "概览" in html

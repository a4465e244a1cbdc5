"""Issue 13, L4: people change their own password and reset it by e-mail; a change ends every other
session of the account."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cuakhau.core.models import AuditEvent
from cuakhau.core.services.org import user_set_password
from tests.factories import PASSWORD, UserFactory
from tests.otp import pass_code

pytestmark = pytest.mark.django_db

NEW = "Mat-khau-moi-2027!"


def test_a_person_changes_their_password_and_other_sessions_end(client):
    user = UserFactory()
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get("/").status_code == 200
    client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD})
    pass_code(client, user)
    page = client.get(reverse("core:password_change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    response = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # this session stays
    assert elsewhere.get("/").status_code == 302  # the other one ended
    event = AuditEvent.objects.get(action="core.user.password_change")
    assert event.actor == user and event.object_id == str(user.pk)


def test_a_weak_or_mismatched_new_password_is_refused_and_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    for new1, new2 in (("12345678901", "12345678901"), (NEW, NEW + "x")):
        response = client.post(
            reverse("core:password_change"),
            {"old_password": PASSWORD, "new_password1": new1, "new_password2": new2},
        )
        assert response.status_code == 400
    user.refresh_from_db()
    assert (
        user.check_password(PASSWORD)
        and not AuditEvent.objects.filter(action="core.user.password_change").exists()
    )


def test_an_admin_setting_a_password_ends_the_persons_sessions(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    user_set_password(actor=None, user=user, password=NEW)
    assert client.get("/").status_code == 302


def test_reset_by_email_link(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = UserFactory(email="nguoi.dung@example.vn")
    other = Client()
    other.force_login(user)
    login_page = client.get(reverse("core:login")).content.decode()
    assert reverse("core:password_reset") in login_page
    response = client.post(reverse("core:password_reset"), {"email": "nguoi.dung@example.vn"})
    assert response.status_code == 302
    # An unknown address gets the same answer and no mail.
    assert client.post(reverse("core:password_reset"), {"email": "ai@example.vn"}).status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject and user.username in body
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action="core.user.password_reset", actor=user).exists()
    assert other.get("/").status_code == 302  # every old session ended
    # The link works once.
    again = client.get(link, follow=True)
    assert "không hợp lệ" in again.content.decode()


def test_reset_requests_are_limited_by_address(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(email="a@example.vn")
    for _ in range(2):
        assert client.post(reverse("core:password_reset"), {"email": "a@example.vn"}).status_code == 302
    assert client.post(reverse("core:password_reset"), {"email": "a@example.vn"}).status_code == 429
    assert len(mail.outbox) == 2

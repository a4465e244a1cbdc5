"""Issue 13, H2 and L3: one login policy for every way in (the login page, the admin site, the
password change), throttling by address and by account without letting anyone lock a person out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cuakhau.core import login_policy
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("core:login"), {"username": username, "password": password}, **extra)


def admin_login(client, username, password=PASSWORD, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_admin_logins_are_throttled_and_the_right_one_then_waits(client):
    admin = UserFactory(role=Role.ADMIN, username="quantri")
    answers = [admin_login(client, "quantri", "wrong-password").status_code for _ in range(30)]
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    # Only the checked attempts are failures: hammering during the delay does not lengthen it.
    assert AuditEvent.objects.filter(action="core.auth.login_failed", object_id="quantri").count() == 5
    refused = admin_login(client, "quantri")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "quá nhiều lần" in refused.content.decode() and not signed_in(client)
    assert admin


def test_the_login_page_answers_429_with_retry_after(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        assert login(client, user.username, "wrong-password").status_code == 200
    refused = login(client, user.username)
    assert refused.status_code == 429 and refused["Retry-After"] == str(settings.LOGIN_DELAY_SECONDS)
    assert "quá nhiều lần" in refused.content.decode() and not signed_in(client)


class _Later:
    """The policy's clock, moved forward (audit events are append-only, so they cannot be moved back)."""

    def __init__(self):
        self.seconds = 0

    def now(self):
        return timezone.now() + datetime.timedelta(seconds=self.seconds)


def test_the_delay_doubles_and_passes(client, settings, monkeypatch):
    settings.LOGIN_FAILURE_LIMIT = 2
    clock = _Later()
    monkeypatch.setattr(login_policy, "timezone", clock)
    user = UserFactory()
    for _ in range(2):
        login(client, user.username, "wrong-password")
    assert login(client, user.username)["Retry-After"] == "30"
    clock.seconds = 31  # the delay is over: one more attempt is checked (and fails)
    assert login(client, user.username, "wrong-password").status_code == 200
    # (Failures are recorded on the real clock: the policy's is now `seconds` after the third.) A 30 s
    # delay would be over 32 s later; the doubled one, 60 s, is not.
    clock.seconds = 32
    assert login(client, user.username).status_code == 429
    clock.seconds = 61
    assert login(client, user.username).status_code == 302 and signed_in(client)


def test_failures_elsewhere_do_not_lock_a_person_out_of_their_own_browser(client, settings):
    """L3: five wrong passwords from anywhere locked a gate operator out for 15 minutes."""
    operator = UserFactory(role=Role.GATE_OPERATOR, username="dieuhanh")
    assert login(client, "dieuhanh", REMOTE_ADDR="10.1.1.1").status_code == 302  # the gate's PC, earlier
    assert login_policy.DEVICE_COOKIE in client.cookies
    client.post(reverse("core:logout"))
    attacker = client.__class__()
    for n in range(40):  # from many addresses
        login(attacker, "dieuhanh", "wrong-password", REMOTE_ADDR=f"198.51.100.{n}")
    assert login(attacker, "dieuhanh", REMOTE_ADDR="198.51.100.99").status_code == 429
    # The operator, at the same PC, mid-shift:
    assert login(client, "dieuhanh", REMOTE_ADDR="10.1.1.1").status_code == 302 and signed_in(client)
    assert operator


def test_a_known_browser_is_still_limited_by_its_own_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    login(client, user.username)
    client.post(reverse("core:logout"))
    for _ in range(3):
        login(client, user.username, "wrong-password")
    assert login(client, user.username).status_code == 429
    # A cookie for another account, or a forged one, counts for nothing.
    forged = client.__class__()
    forged.cookies[login_policy.DEVICE_COOKIE] = login_policy.device_cookie_value("someone-else")
    assert login(forged, user.username, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_one_address_cannot_guess_many_accounts(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    users = [UserFactory() for _ in range(7)]
    for user in users[:6]:
        assert login(client, user.username, "wrong-password").status_code == 200
    refused = login(client, users[6].username)
    assert (
        refused.status_code == 429
        and 0 < int(refused["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW_SECONDS
    )
    # Another address is not affected.
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert login(other, users[6].username).status_code == 302


def test_a_wrong_old_password_counts_and_the_change_page_is_throttled(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        response = client.post(
            reverse("core:password_change"),
            {
                "old_password": "wrong",
                "new_password1": "Mat-khau-moi-2027!",
                "new_password2": "Mat-khau-moi-2027!",
            },
        )
        assert response.status_code == 400
    assert AuditEvent.objects.filter(action="core.auth.login_failed", object_id=user.username).count() == 2
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2027!",
            "new_password2": "Mat-khau-moi-2027!",
        },
    )
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_login_starts_a_new_session(client):
    user = UserFactory()
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    login(client, user.username)
    assert signed_in(client) and client.session.session_key != before

"""Issue 13, item 2: two-factor login. Staff pass a code after the password (TOTP from an
authenticator app, or a one-time recovery code); enterprise users may enrol. These tests sign in
through the login page and the code page themselves (`real_second_factor`: the suite-wide fixture that
marks test-client logins verified is off here)."""

import re
from io import StringIO

import pytest
from django.contrib.admin import site as admin_site
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuakhau.core import twofactor
from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.core.services.twofactor import otp_enrol_start, otp_reset
from tests.factories import PASSWORD, UserFactory
from tests.otp import code, enrol

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

STAFF_ROLES = [
    Role.BOARD_LEADER,
    Role.DEPARTMENT_STAFF,
    Role.GATE_OPERATOR,
    Role.GATE_CASHIER,
    Role.AGENCY_OFFICER,
    Role.INSPECTOR,
    Role.PROVINCIAL_LEADER,
    Role.ADMIN,
]
WRONG = "000000"


def password_step(client, user, **extra):
    return client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD, **extra})


def code_step(client, token, **extra):
    return client.post(reverse("core:otp_verify"), {"token": token, **extra})


def wrong_code(device) -> str:
    right = twofactor.current_code(device)
    return WRONG if right != WRONG else "111111"


# --- who must use it ---------------------------------------------------------------------------------


def test_the_rule_names_every_staff_role_and_no_outside_one():
    assert frozenset(STAFF_ROLES) == twofactor.REQUIRED_ROLES
    for role in (Role.ENTERPRISE_USER, Role.DRIVER):
        assert not twofactor.must_use(UserFactory(role=role))
    # Any account that may open the admin site must, whatever its role.
    assert twofactor.must_use(UserFactory(role=Role.ENTERPRISE_USER, is_staff=True))
    # Device and system accounts never sign in with a password: the rule does not apply.
    assert not twofactor.must_use(UserFactory(role=Role.GATE_OPERATOR, is_service_account=True))


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_staff_role_needs_the_code_after_the_password(client, role):
    user = UserFactory(role=role)
    device = enrol(user)
    response = password_step(client, user)
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp_verify"))
    # Signed in by password only: every page sends it back to the code page.
    page = client.get("/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("core:otp_verify"))
    done = code_step(client, code(device), next="/")
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="core.auth.otp_verify", object_id=str(user.pk)).count() == 1


def test_staff_without_a_device_are_sent_to_enrol(client):
    user = UserFactory(role=Role.GATE_CASHIER)
    response = password_step(client, user)
    assert response["Location"].startswith(reverse("core:otp_enrol"))
    page = client.get("/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("core:otp_enrol"))
    # The code page has nothing to check yet: it sends them on to enrol too.
    assert client.get(reverse("core:otp_verify"))["Location"].startswith(reverse("core:otp_enrol"))


def test_an_enterprise_user_without_a_device_signs_in_with_the_password_only(client):
    user = UserFactory(role=Role.ENTERPRISE_USER)
    response = password_step(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/core/me").status_code == 200


def test_an_enterprise_user_who_enrolled_needs_the_code_too(client):
    user = UserFactory(role=Role.ENTERPRISE_USER)
    device = enrol(user)
    assert password_step(client, user)["Location"].startswith(reverse("core:otp_verify"))
    assert client.get("/").status_code == 302
    code_step(client, code(device))
    assert client.get("/").status_code == 200


# --- throttling, replay, recovery codes ---------------------------------------------------------------


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_DELAY_SECONDS=60)
def test_wrong_codes_are_failed_logins_and_the_policy_throttles_them(client):
    user = UserFactory(role=Role.BOARD_LEADER)
    device = enrol(user)
    password_step(client, user)
    for _ in range(3):
        response = code_step(client, wrong_code(device))
        assert response.status_code == 400
        assert "không đúng" in response.content.decode()
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the login policy's turn
    failures = AuditEvent.objects.filter(action="core.auth.login_failed", object_id=user.username)
    assert failures.count() == 3
    assert all(event.after.get("step") == "otp" for event in failures)
    # The limit is reached: the next attempt, even with the right code, waits and is not checked.
    refused = code_step(client, code(device))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get("/").status_code == 302
    assert failures.count() == 3  # a refused attempt is not counted


def test_the_device_throttles_guessing_on_its_own_as_well(client):
    user = UserFactory(role=Role.BOARD_LEADER)
    device = enrol(user)
    password_step(client, user)
    code_step(client, wrong_code(device))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # django-otp's own delay (1 s after one failure, doubling): even the right code waits.
    refused = code_step(client, code(device))
    assert refused.status_code == 429 and refused["Retry-After"] == "1"
    assert client.get("/").status_code == 302


def test_a_code_cannot_be_used_twice(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    device = enrol(user)
    token = code(device)
    password_step(client, user)
    assert code_step(client, token).status_code == 302
    other = Client()
    password_step(other, user)
    assert code_step(other, token).status_code == 400  # a replay, seen on another machine


def _recovery_codes(user, n=3):
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"abcd{i:04d}" for i in range(n)]
    for token in codes:
        StaticToken.objects.create(device=device, token=token)
    return codes


def test_a_recovery_code_works_once(client):
    user = UserFactory(role=Role.GATE_OPERATOR)
    enrol(user)
    codes = _recovery_codes(user)
    password_step(client, user)
    response = code_step(client, codes[0].upper()[:4] + " " + codes[0][4:])  # as read off paper
    assert response.status_code == 302 and client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="core.auth.otp_recovery_used")
    assert event.after == {"recovery_codes_left": 2}
    again = Client()
    password_step(again, user)
    assert code_step(again, codes[0]).status_code == 400
    assert again.get("/").status_code == 302


# --- the session, the API, the admin site ------------------------------------------------------------


def test_an_unverified_session_gets_401_from_the_api_and_redirects_from_pages(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    device = enrol(user)
    password_step(client, user)
    assert client.get("/api/v1/core/me").status_code == 401
    assert client.get(reverse("core:users")).status_code == 302
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("core:otp_verify"))
    # The code page, static files, the language switch and logout stay open.
    assert client.get(reverse("core:otp_verify")).status_code == 200
    code_step(client, code(device))
    assert client.get("/api/v1/core/me").status_code == 200


def test_the_code_step_starts_a_new_session(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    device = enrol(user)
    password_step(client, user)
    before = client.session.session_key
    code_step(client, code(device))
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_admin_site_needs_the_code(client):
    user = UserFactory(role=Role.ADMIN)
    device = enrol(user)
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    page = client.get("/admin/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("core:otp_verify"))
    code_step(client, code(device), next="/admin/")
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_refuses_an_unverified_session_even_without_the_middleware(client, settings):
    user = UserFactory(role=Role.ADMIN)
    enrol(user)
    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    ungated = Client()  # a new handler: built with the middleware list above
    ungated.cookies = client.cookies
    page = ungated.get("/admin/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("admin:login"))
    assert admin_site.has_permission.__name__ == "_verified_has_permission"


def test_password_change_keeps_this_session_verified(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    device = enrol(user)
    password_step(client, user)
    code_step(client, code(device))
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2027!",
            "new_password2": "Mat-khau-moi-2027!",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


# --- enrolment, recovery codes, reset -----------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_codes_once(client):
    user = UserFactory(role=Role.GATE_OPERATOR)
    password_step(client, user)
    page = client.get(reverse("core:otp_enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    section = html[html.index('data-testid="otp-enrol"') :]
    assert "<script" not in section and "style=" not in section  # the CSP allows neither inline
    secret = re.search(r'data-testid="otp-secret" data-raw>([A-Z2-7]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret == twofactor.base32_secret(device)
    assert client.get(reverse("core:otp_enrol")).content.decode().count(secret) == 1  # same secret on reload

    wrong = client.post(reverse("core:otp_enrol"), {"token": wrong_code(device)})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(action="core.auth.otp_enrol_failed").count() == 1
    # The device's own delay after a wrong code: the next try waits (429), even with the right code.
    assert (
        client.post(reverse("core:otp_enrol"), {"token": twofactor.current_code(device)}).status_code == 429
    )
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    done = client.post(reverse("core:otp_enrol"), {"token": twofactor.current_code(device)})
    assert done.status_code == 302 and done["Location"] == reverse("core:otp_recovery_codes")
    shown = client.get(reverse("core:otp_recovery_codes"))
    codes = re.findall(r"<li><code data-raw>([a-z2-7]{8})</code></li>", shown.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert shown["Cache-Control"].startswith("max-age=0")
    assert client.get(reverse("core:otp_recovery_codes")).status_code == 302  # shown once
    assert client.get("/").status_code == 200  # the session is verified
    event = AuditEvent.objects.get(action="core.auth.otp_enrol")
    payload = str(event.after) + str(event.before)
    assert secret not in payload and device.key not in payload and not any(c in payload for c in codes)
    # One of the new codes signs in once.
    other = Client()
    password_step(other, user)
    assert code_step(other, codes[5]).status_code == 302


def test_an_enterprise_user_may_enrol_from_their_account_page(client):
    user = UserFactory(role=Role.ENTERPRISE_USER)
    password_step(client, user)
    account = client.get(reverse("core:otp_account"))
    assert account.status_code == 200 and reverse("core:otp_enrol") in account.content.decode()
    client.get(reverse("core:otp_enrol"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("core:otp_enrol"), {"token": twofactor.current_code(device)})
    assert twofactor.has_second_factor(user)
    assert "đang bật" in client.get(reverse("core:otp_account")).content.decode()


def test_enrolling_again_is_not_a_way_round_an_enrolled_device(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    enrol(user)
    password_step(client, user)
    response = client.get(reverse("core:otp_enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp_verify"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_new_recovery_codes_need_a_current_code(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    device = enrol(user)
    old = _recovery_codes(user)
    password_step(client, user)
    code_step(client, code(device))
    refused = client.post(reverse("core:otp_account"), {"token": wrong_code(device)})
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="core.auth.login_failed", after__step="otp").count() == 1
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    made = client.post(reverse("core:otp_account"), {"token": code(device)})
    assert made.status_code == 302
    codes = re.findall(r"<code data-raw>([a-z2-7]{8})</code>", client.get(made["Location"]).content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert AuditEvent.objects.filter(action="core.auth.otp_recovery_regenerate").count() == 1


def test_an_administrator_resets_a_lost_device_and_it_is_audited(client):
    admin = UserFactory(role=Role.ADMIN)
    admin_device = enrol(admin)
    person = UserFactory(role=Role.GATE_CASHIER)
    enrol(person)
    _recovery_codes(person)
    # The person's own verified session, before the reset.
    theirs = Client()
    password_step(theirs, person)
    code_step(theirs, code(twofactor.authenticator(person)))
    assert theirs.get("/").status_code == 200

    password_step(client, admin)
    code_step(client, code(admin_device))
    edit = client.get(reverse("core:user-edit", args=[person.username]))
    assert reverse("core:user-otp-reset", args=[person.username]) in edit.content.decode()
    response = client.post(reverse("core:user-otp-reset", args=[person.username]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="core.auth.otp_reset")
    assert event.actor_id == admin.pk and event.object_id == str(person.pk)
    assert event.after == {"devices_removed": 2}
    # Their session no longer counts: they enrol again.
    page = theirs.get("/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("core:otp_enrol"))


def test_only_an_administrator_resets_devices(client):
    staff = UserFactory(role=Role.BOARD_LEADER)
    staff_device = enrol(staff)
    person = UserFactory(role=Role.GATE_CASHIER)
    enrol(person)
    password_step(client, staff)
    code_step(client, code(staff_device))
    assert client.post(reverse("core:user-otp-reset", args=[person.username])).status_code == 404
    assert TOTPDevice.objects.filter(user=person).exists()
    with acting_as(staff), pytest.raises(ServiceError) as refused:
        otp_reset(actor=staff, user=person)
    assert refused.value.status == 403


# --- the demo ---------------------------------------------------------------------------------------


def test_demo_staff_have_a_known_authenticator_and_the_command_prints_its_code(client, demo_data):
    from cuakhau.core.models import User
    from cuakhau.core.services import installation_mark_demo

    user = User.objects.get(username="dieuhanh")
    device = twofactor.authenticator(user)
    assert device.key == twofactor.demo_key("dieuhanh")
    assert twofactor.authenticator(User.objects.get(username="doanhnghiep")) is None  # optional there

    with pytest.raises(CommandError, match="not a demo installation"):
        call_command("otp", "code", "dieuhanh", stdout=StringIO())
    with acting_as(None, channel="cli"):
        installation_mark_demo(actor=None)
    out = StringIO()
    call_command("otp", "code", "dieuhanh", stdout=out)
    printed = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", printed)
    client.post(reverse("core:login"), {"username": "dieuhanh", "password": "CuaKhau@2026-demo"})
    assert code_step(client, printed).status_code == 302
    assert client.get("/").status_code == 200


def test_the_command_prints_no_code_for_a_real_authenticator(demo_data):
    from cuakhau.core.models import User
    from cuakhau.core.services import installation_mark_demo

    with acting_as(None, channel="cli"):
        installation_mark_demo(actor=None)
    person = UserFactory(role=Role.DEPARTMENT_STAFF)
    enrol(person)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("otp", "code", person.username, stdout=StringIO())
    assert User.objects.filter(username="lanhdao").exists()


# --- the suite's own fixture -----------------------------------------------------------------------


def test_without_the_fixture_a_test_client_login_owes_the_code(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    client.force_login(user)
    assert client.get("/").status_code == 302


def test_ones_own_second_factor_only():
    person, other = UserFactory(role=Role.GATE_CASHIER), UserFactory(role=Role.GATE_CASHIER)
    with pytest.raises(ServiceError) as refused:
        otp_enrol_start(actor=other, user=person)
    assert refused.value.status == 403
    assert not TOTPDevice.objects.filter(user=person).exists()

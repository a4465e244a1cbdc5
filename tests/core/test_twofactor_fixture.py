"""The suite-wide fixture (tests/conftest.py): a test-client login counts as having passed the second
factor, so the suite's `client.login`/`force_login` tests (and the security suite's session cookies)
keep working with two-factor on. It marks the session as the code page would; it switches nothing off."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from cuakhau.core import twofactor
from cuakhau.core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_force_login_and_login_count_as_verified(client):
    staff = UserFactory(role=Role.GATE_OPERATOR)
    client.force_login(staff)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/core/me").status_code == 200
    device = twofactor.authenticator(staff)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    other = Client()
    assert other.login(username=staff.username, password=PASSWORD)
    assert other.get("/").status_code == 200


def test_an_account_that_owes_no_second_factor_gets_no_device(client):
    person = UserFactory(role=Role.ENTERPRISE_USER)
    client.force_login(person)
    assert client.get("/").status_code == 200
    assert twofactor.authenticator(person) is None


def test_the_login_page_still_asks_for_the_code(client):
    staff = UserFactory(role=Role.GATE_OPERATOR)
    client.post(reverse("core:login"), {"username": staff.username, "password": PASSWORD})
    assert client.get("/").status_code == 302

"""The client's address behind trusted proxies (TRUSTED_PROXY_COUNT): the right-most entry of
X-Forwarded-For that a trusted proxy wrote, never what the client wrote to its left, and never
something that is not an address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cuakhau.core.middleware import client_ip, ip_or_none
from cuakhau.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


def _request(forwarded: str | None = None, remote: str = "10.0.0.2"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUST_X_FORWARDED_FOR = True  # the older switch, still read by older code
    return settings


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("198.51.100.1", remote="203.0.113.9")) == "203.0.113.9"


def test_one_proxy_takes_the_entry_it_wrote_not_the_clients_own(one_proxy):
    # The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw.
    assert client_ip(_request("1.1.1.1, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(_request("203.0.113.5")) == "203.0.113.5"


def test_two_proxies_take_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("9.9.9.9, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"
    # Fewer entries than proxies: the request did not come through them all; the peer is used.
    assert client_ip(_request("203.0.113.5", remote="10.0.0.7")) == "10.0.0.7"


@pytest.mark.parametrize("value", ["unknown", "not-an-ip", "x:y", "<script>", "1.2.3.4.5", "::zz", ""])
def test_a_value_that_is_not_an_address_is_ignored(one_proxy, value):
    assert client_ip(_request(f"1.1.1.1, {value}", remote="10.0.0.3")) == "10.0.0.3"


def test_addresses_are_read_in_their_canonical_form():
    assert ip_or_none("2001:DB8:0:0::1") == "2001:db8::1"
    assert ip_or_none("[2001:db8::1]:443") == "2001:db8::1"
    assert ip_or_none("192.0.2.1:8080") == "192.0.2.1"
    assert ip_or_none("::ffff:192.0.2.1") == "192.0.2.1"
    assert ip_or_none("fe80::1%eth0") == "fe80::1"
    assert ip_or_none("host.example") is None
    assert ip_or_none(None) is None


@pytest.mark.django_db
def test_a_forged_header_does_not_forge_the_audited_address(client, one_proxy):
    user = UserFactory()
    client.post(
        reverse("core:login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.44",
        REMOTE_ADDR="10.0.0.2",
    )
    assert AuditEvent.objects.get(action="core.auth.login").client_ip == "203.0.113.44"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x:y", "not-an-ip"])
def test_login_with_a_forwarded_value_that_is_not_an_address_is_no_error(client, one_proxy, value):
    user = UserFactory()
    response = client.post(
        reverse("core:login"),
        {"username": user.username, "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR=value,
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


@pytest.mark.django_db
def test_login_throttling_cannot_be_escaped_by_rotating_the_forwarded_header(client, one_proxy):
    one_proxy.LOGIN_ADDRESS_FAILURE_LIMIT = 3  # failures from one address, whatever the usernames
    users = [UserFactory() for _ in range(4)]
    for i, user in enumerate(users[:3]):
        client.post(
            reverse("core:login"),
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.50",
        )
    response = client.post(
        reverse("core:login"),
        {"username": users[3].username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.50",
    )
    assert "_auth_user_id" not in client.session
    assert "quá nhiều lần" in response.content.decode()

import pytest

from cuakhau.core.context import acting_as


@pytest.fixture
def reference_data(db):
    """The real reference data the product ships: the zone's units and the 9 Lạng Sơn gates."""
    from cuakhau.core.reference import load_units
    from cuakhau.gates.reference import load_gates

    with acting_as(None, channel="cli"):
        load_units()
        load_gates()


@pytest.fixture
def demo_data(reference_data):
    from cuakhau.core.reference import load_demo_users

    with acting_as(None, channel="cli"):
        load_demo_users()


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The working calendar caches each year's days in memory; no test may see another's."""
    from cuakhau.core.workcal.calendar import reset_cache

    reset_cache()
    yield
    reset_cache()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a request in another language leaves its language active in the
    thread (LocaleMiddleware does not reset it), which must not leak into the next test."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_second_factor: test-client logins are NOT marked as having passed the second factor "
        "(the two-factor tests' own journeys)",
    )


@pytest.fixture(autouse=True)
def _logins_pass_the_second_factor(request, monkeypatch):
    """Staff must pass a second factor (core.twofactor) before a session counts. A test that signs in
    with the test client (`client.login`, `client.force_login`, and the security suite's session
    cookies made by `force_login`) means a signed-in person, so its session is marked verified the way
    the code page marks it: django-otp's session key naming an authenticator of that user (created for
    the test when the user has none). Two-factor is not switched off: a session made any other way (the
    login page, the admin's form) still owes its code. Tests marked `real_second_factor` opt out."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


def pass_second_factor(client, user):
    """Marks the test client's session as having passed `user`'s second factor, as the code page does
    (see `_logins_pass_the_second_factor`; a module-scoped fixture that signs clients in, where that
    function-scoped patch is not in force yet, calls it itself)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cuakhau.core import twofactor

    if not twofactor.needs_second_factor(user):
        return
    device = twofactor.authenticator(user) or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

"""Helpers for tests that sign in through the login page itself (not `client.login`): the second
factor's code step, as a person with an authenticator app would pass it (core.twofactor)."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuakhau.core import twofactor


def enrol(user) -> TOTPDevice:
    """A confirmed authenticator for `user` (its own random secret), as after the enrolment page."""
    return twofactor.authenticator(user) or TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code(device: TOTPDevice) -> str:
    """The device's current code. Its record of the last code used is cleared first, so one test may
    sign the person in twice within 30 seconds (the replay refusal has its own test)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return twofactor.current_code(device)


def pass_code(client, user, next_url: str = ""):
    """After the password step: type the current code on the code page."""
    device = enrol(user)
    data = {"token": code(device)}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("core:otp_verify"), data)

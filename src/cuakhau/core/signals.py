"""Logins, logouts and failed logins go to the audit log. Failed logins are what the login policy
(core.login_policy) counts; an attempt it refused was never checked and is not counted."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from . import login_policy
from .audit import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(action="core.auth.login", obj=user, actor=user)
    if request is not None:
        # core.middleware.LoginPolicyMiddleware leaves this browser's known-device cookie.
        request.login_device_cookie = login_policy.device_cookie_value(user.get_username())


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit_record(action="core.auth.logout", obj=user, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "login_refused", None) is not None:
        return
    username = str(credentials.get("username", ""))[:150]
    after = {"username": username}
    device = login_policy.known_device(request, username)
    if device is not None:
        after["device"] = device
    if credentials.get("step"):
        after["step"] = str(credentials["step"])[:16]  # "otp": a wrong second-factor code (core.twofactor)
    with transaction.atomic():
        audit_record(
            action=login_policy.FAILED,
            object_type="core.user",
            object_id=username[:64],
            object_repr=username,
            after=after,
            actor=None,  # nobody is signed in: the name tried is the event's object
        )

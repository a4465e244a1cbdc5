"""The one authentication backend: Django's username and password check behind the login policy
(core.login_policy), so the login page, the admin site and any later way in share the same throttling."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import login_policy


class LoginPolicyBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            refusal = login_policy.check(request, username or kwargs.get("username") or "")
            if refusal is not None:
                # Django's authenticate() stops at PermissionDenied and sends user_login_failed; the
                # mark tells core.signals not to count it, and the middleware to answer 429.
                request.login_refused = refusal
                raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        # The second factor (core.twofactor) comes after: the session is signed in but does not count
        # until a code is typed (TwoFactorMiddleware, the code page), whatever the door.
        return user

    def user_can_authenticate(self, user) -> bool:
        # Device and system accounts act through their API keys only, never a password.
        return super().user_can_authenticate(user) and not getattr(user, "is_service_account", False)

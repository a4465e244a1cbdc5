"""Two-factor login: who must use it, and the gate every page passes.

After the password (the login page or the admin site, both under core.login_policy) a session is
signed in but not yet *verified*. Whoever must use a second factor (`must_use`), or has enrolled one of
their own free will (an enterprise user), can then reach only the code page, the enrolment pages and
logout until they type a code from their authenticator app (TOTP, django-otp's otp_totp) or one of
their ten one-time recovery codes (otp_static). The code step is throttled by the same login policy: a
wrong code is a failed login (`auth.login_failed`, step "otp"). The API refuses an unverified session
(core.api_auth.SessionAuth, 401); API keys of device and system accounts are not affected. See
docs/security.md, *Two-factor login*.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role

# Every role that works inside the Board's systems: the Board, the gates, the agencies, the inspectors,
# the province, the administrators. Enterprise users and drivers may enrol from their own page.
REQUIRED_ROLES = frozenset(
    {
        Role.BOARD_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.GATE_OPERATOR,
        Role.GATE_CASHIER,
        Role.AGENCY_OFFICER,
        Role.INSPECTOR,
        Role.PROVINCIAL_LEADER,
        Role.ADMIN,
    }
)
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
ISSUER = "CuaKhau"
# The session key holding freshly made recovery codes until their page shows them, once.
NEW_CODES_SESSION_KEY = "otp_new_recovery_codes"


def must_use(user) -> bool:
    """True for accounts that may not sign in without a second factor. Device and system accounts
    never sign in with a password (core.auth_backend), so the rule does not apply to them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_service_account", False):
        return False
    return bool(user.is_superuser or user.is_staff or user.role in REQUIRED_ROLES)


def may_enrol(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not getattr(user, "is_service_account", False)


def authenticator(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """True if this account's sessions count only once a code has been typed."""
    return must_use(user) or (may_enrol(user) and has_second_factor(user))


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def pending(request) -> bool:
    """True if the request's session has passed the password but still owes its second factor."""
    cached = getattr(request, "_otp_pending", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    result = bool(
        user is not None and user.is_authenticated and not is_verified(user) and needs_second_factor(user)
    )
    request._otp_pending = result
    return result


def next_step_url(request, next_url: str = "") -> str:
    """The code page, or the enrolment page for an account that must use a second factor and has none."""
    user = request.user
    name = "core:otp_verify" if has_second_factor(user) else "core:otp_enrol"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    query = urlencode({"secret": base32_secret(device), "issuer": ISSUER, "digits": device.digits})
    return f"otpauth://totp/{label}?{query}&period={device.step}"


def base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def demo_key(username: str) -> str:
    """The demo installation's known authenticator secret for `username` (40 hex digits). Public by
    design, like the demo password: only `cuakhau demo load` uses it (core.reference)."""
    return hashlib.sha1(f"cuakhau-demo-totp:{username}".encode()).hexdigest()


def current_code(device: TOTPDevice, *, at: int | None = None) -> str:
    """The code the device accepts now (the `otp code` command on a demo, and the tests)."""
    import time

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return str(totp.token()).zfill(device.digits)


class TwoFactorMiddleware:
    """A signed-in session that still owes its second factor reaches only the code and enrolment pages,
    logout, static files and the language switch: any other page sends it to the code page (an htmx
    request is told through HX-Redirect). The API answers it itself (core.api_auth: 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if pending(request) and not self._open(request.path_info):
            target = next_step_url(request, request.get_full_path() if request.method == "GET" else "")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith("/api/") or path.startswith("/i18n/") or path == "/healthz":
            return True
        static = settings.STATIC_URL or "/static/"
        if path.startswith(static if static.startswith("/") else "/" + static):
            return True
        return path in {
            reverse("core:otp_verify"),
            reverse("core:otp_enrol"),
            reverse("core:otp_recovery_codes"),
            reverse("core:logout"),
        }

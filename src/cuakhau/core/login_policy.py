"""The login policy: one check for every way in (the login page, the admin site, the password change's
old password, and whatever calls `django.contrib.auth.authenticate` with a request later).

Failed logins are the audit log's `auth.login_failed` events (core.signals), so the policy needs no
table of its own. Three counters, each over the last LOGIN_FAILURE_WINDOW_SECONDS:

* **By address** (`core.middleware.client_ip`): LOGIN_ADDRESS_FAILURE_LIMIT failures, whatever the
  usernames, refuse further attempts from that address until the oldest of them leaves the window
  (the answer says when: Retry-After). This stops one machine guessing many accounts.
* **By account**, for attempts from a browser the account has not signed in from: after
  LOGIN_FAILURE_LIMIT failures, each further attempt must wait a delay that starts at LOGIN_DELAY_SECONDS
  and doubles with each failure, up to LOGIN_DELAY_MAX_SECONDS. An attempt made during the delay is
  refused without the password being checked, and is not counted, so hammering does not lengthen it.
  This stops many machines guessing one account.
* **By known browser**: a successful login leaves a signed cookie naming the account and a random
  browser id (OWASP's "device cookie"). An attempt for that account from that browser is judged only by
  that browser's own failures (the same delays), so an attacker elsewhere, however many failures they
  make and from however many addresses, cannot lock the person out of the browser they work at: a gate
  operator mid-shift keeps signing in at the gate's PC.

A refused attempt answers 429 with Retry-After (core.middleware.LoginPolicyMiddleware). Nothing is ever
locked for good: the worst an attacker achieves against a person on a new browser is the longest delay.

Two-factor authentication follows a right password (core.twofactor): a wrong code is a failed login
here too (`after.step = "otp"`), under the same counters.
"""

from __future__ import annotations

import datetime
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max
from django.utils import timezone

from . import audit_names
from .actions import audit_actions
from .middleware import client_ip
from .models import AuditEvent

FAILED = audit_names.LOGIN_FAILED
_FAILED_NAMES = audit_actions.aliases(FAILED)  # with the name earlier versions stored
DEVICE_COOKIE = "cuakhau_device"
_DEVICE_SALT = "cuakhau.login_policy.device"


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused and after how many seconds another may be made."""

    reason: str  # "address", "account" or "device"
    retry_after: int


def _window_start():
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _failures():
    return AuditEvent.objects.filter(action__in=_FAILED_NAMES, occurred_at__gte=_window_start())


def _delay(count: int, last) -> int:
    """Seconds still to wait after `count` failures, the last at `last`; 0 when an attempt may go."""
    if count < settings.LOGIN_FAILURE_LIMIT or last is None:
        return 0
    delay = min(
        settings.LOGIN_DELAY_SECONDS * 2 ** (count - settings.LOGIN_FAILURE_LIMIT),
        settings.LOGIN_DELAY_MAX_SECONDS,
    )
    remaining = (last + datetime.timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


def known_device(request, username: str) -> str | None:
    """The id of this browser if the account `username` has signed in from it, else None."""
    value = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not value or not username:
        return None
    try:
        data = signing.loads(
            value, salt=_DEVICE_SALT, max_age=datetime.timedelta(days=settings.LOGIN_DEVICE_COOKIE_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username:
        return None
    return str(data.get("d") or "") or None


def device_cookie_value(username: str) -> str:
    return signing.dumps({"u": username, "d": secrets.token_hex(8)}, salt=_DEVICE_SALT)


def check(request, username: str) -> Refusal | None:
    """None if an attempt to sign in as `username` may be made now, else the refusal."""
    username = (username or "")[:64]
    device = known_device(request, username)
    if device is not None:
        mine = _failures().filter(object_type="core.user", object_id=username, after__device=device)
        found = mine.aggregate(n=Count("pk"), last=Max("occurred_at"))
        wait = _delay(found["n"], found["last"])
        return Refusal("device", wait) if wait else None
    address = client_ip(request) if request is not None else None
    if address:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        nth = (
            _failures()
            .filter(client_ip=address)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)[limit - 1 : limit]
        )
        oldest_counted = next(iter(nth), None)
        if oldest_counted is not None:
            leaves = oldest_counted + datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
            return Refusal("address", max(1, math.ceil((leaves - timezone.now()).total_seconds())))
    found = (
        _failures()
        .filter(object_type="core.user", object_id=username)
        .aggregate(n=Count("pk"), last=Max("occurred_at"))
    )
    wait = _delay(found["n"], found["last"])
    return Refusal("account", wait) if wait else None


class LoginPolicyMiddleware:
    """Answers a refused login attempt 429 with Retry-After, and leaves the known-browser cookie after a
    successful login, whichever view handled it (the login page, the admin site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, "login_refused", None)
        if refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(refusal.retry_after)
        cookie = getattr(request, "login_device_cookie", None)
        if cookie is not None:
            response.set_cookie(
                DEVICE_COOKIE,
                cookie,
                max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def wait_minutes(refusal: Refusal) -> int:
    return max(1, math.ceil(refusal.retry_after / 60))

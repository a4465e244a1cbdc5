"""API authentication: bearer tokens (stored hashed, tied to a unit, revocable) and the browser session."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .context import ActionContext, current, set_context
from .models import ApiToken


def _enter(request, user, token=None):
    request.user = user
    request.api_token = token
    ctx = current()
    set_context(ActionContext(actor=user, request_id=ctx.request_id, client_ip=ctx.client_ip, channel="api"))
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        if not token:
            return None
        try:
            # The user's own unit too: the audit event of whatever the call changes records it.
            api_token = ApiToken.objects.select_related("user__unit", "unit").get(
                key_hash=ApiToken.hash_secret(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            # Throttled write: a device posting every second should not rewrite the row every second.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return _enter(request, api_token.user, api_token)


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return _enter(request, user)
        return None

"""API authentication: bearer tokens (stored hashed, tied to a unit, revocable) and the browser session.

A device posts many times a minute with the same token, so each process keeps what a token resolves to
(the token, its user and their units) for TOKEN_TTL seconds instead of reading three tables on every
call. Any save or delete of a token, user or unit in the process clears that cache, so a revocation or a
deactivated account made here takes effect at once; one made in another process (another gunicorn
worker, the `tokens revoke` command) within TOKEN_TTL seconds. Each request gets fresh instances built
from the cached rows, never an instance another thread holds."""

from __future__ import annotations

import threading
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .context import ActionContext, current, set_context
from .keys import may_hold_key
from .models import ApiToken, Unit, User
from .twofactor import pending

TOKEN_TTL = 10.0
DB_ALIAS = "default"
LAST_USED_EVERY = 60.0  # seconds between writes of a token's last_used_at


def _enter(request, user, token=None):
    request.user = user
    request.api_token = token
    ctx = current()
    set_context(ActionContext(actor=user, request_id=ctx.request_id, client_ip=ctx.client_ip, channel="api"))
    return user


def _row(obj) -> tuple | None:
    return None if obj is None else tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


def _build(model, row):
    return None if row is None else model.from_db(DB_ALIAS, None, row)


class _TokenCache:
    """key_hash -> (expires, rows of the token, its user, the user's unit, the token's unit). Only rows
    read outside a transaction are kept (a request's authentication runs outside one), so nothing a
    rollback undoes is ever served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, tuple]] = {}
        self._generation = 0

    def clear(self, *_args, **_kwargs) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def lookup(self, key_hash: str) -> ApiToken | None:
        now = time.monotonic()
        hit = self._entries.get(key_hash)
        if hit is None or hit[0] <= now:
            generation = self._generation
            token = (
                ApiToken.objects.select_related("user__unit", "unit")
                .filter(key_hash=key_hash, revoked_at__isnull=True)
                .first()
            )
            if token is None:
                return None
            rows = (_row(token), _row(token.user), _row(token.user.unit), _row(token.unit))
            if not transaction.get_connection().in_atomic_block:
                with self._lock:
                    if self._generation == generation:
                        self._entries[key_hash] = (now + TOKEN_TTL, rows)
            return token
        token_row, user_row, user_unit_row, unit_row = hit[1]
        token, user = _build(ApiToken, token_row), _build(User, user_row)
        user._state.fields_cache["unit"] = _build(Unit, user_unit_row)
        token._state.fields_cache["user"] = user
        token._state.fields_cache["unit"] = _build(Unit, unit_row)
        return token

    def touched(self, key_hash: str, when) -> None:
        """Remember a write of last_used_at, so the next calls within LAST_USED_EVERY skip it."""
        with self._lock:
            hit = self._entries.get(key_hash)
            if hit is not None:
                token_row = list(hit[1][0])
                token_row[_LAST_USED_INDEX] = when
                self._entries[key_hash] = (hit[0], (tuple(token_row), *hit[1][1:]))


_LAST_USED_INDEX = [f.attname for f in ApiToken._meta.concrete_fields].index("last_used_at")
_tokens = _TokenCache()
clear_token_cache = _tokens.clear
for _model in (ApiToken, User, Unit):
    post_save.connect(clear_token_cache, sender=_model, dispatch_uid=f"core.api_auth.save.{_model.__name__}")
    post_delete.connect(
        clear_token_cache, sender=_model, dispatch_uid=f"core.api_auth.delete.{_model.__name__}"
    )
# A flush (between transactional tests, `cuakhau flush`) deletes nothing one by one.
post_migrate.connect(clear_token_cache, dispatch_uid="core.api_auth.flush")


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        if not token:
            return None
        key_hash = ApiToken.hash_secret(token)
        # The user's own unit too: the audit event of whatever the call changes records it.
        api_token = _tokens.lookup(key_hash)
        # Checked on every call, not only at issue: a key issued before the rule for a person (or whose
        # account has since become one, or moved unit) acts as no one.
        if (
            api_token is None
            or not may_hold_key(api_token.user)
            or api_token.unit_id != api_token.user.unit_id
        ):
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > LAST_USED_EVERY:
            # Throttled write: a device posting every second should not rewrite the row every second.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            _tokens.touched(key_hash, now)
        return _enter(request, api_token.user, api_token)


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check on unsafe methods. A call that presents
    an Authorization header is judged by it alone: a wrong or revoked key is a 401, never a fall back
    to the session (or its CSRF check's 403)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        # A session that passed the password but still owes its second factor is not signed in here
        # (core.twofactor): 401, as for no session at all.
        if user is not None and user.is_authenticated and not pending(request):
            return _enter(request, user)
        return None

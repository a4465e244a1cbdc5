from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import logout

from .context import ActionContext, new_request_id, reset_context, set_context


def ip_or_none(value: object) -> str | None:
    """The address in `value` in its canonical form, or None if it is not one: a port
    (`192.0.2.1:443`, `[2001:db8::1]:443`) and an IPv6 zone are dropped, an IPv4-mapped IPv6 address
    is the IPv4 one. A forwarded header may carry anything ("unknown", a host name, script): none of it
    may reach the audit log's address column or a rate limit's key."""
    text = str(value or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1 and "." in text:
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    if not text or len(text) > 45:
        return None
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.compressed


def client_ip(request) -> str | None:
    """The client's address. With no trusted proxy (TRUSTED_PROXY_COUNT 0) it is the connection's
    peer. Behind N proxies that each append the address they received from to X-Forwarded-For, the
    client is the N-th entry from the right: that one was written by the outermost trusted proxy,
    everything to its left came from the client and is ignored. A header with fewer entries than
    trusted proxies did not come through them all, and an entry that is not an address is ignored;
    either way the peer's address is used."""
    peer = ip_or_none(request.META.get("REMOTE_ADDR"))
    trusted = trusted_proxy_count()
    if trusted <= 0:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    hops = [hop.strip() for hop in header.split(",")] if header else []
    if len(hops) < trusted:
        return peer
    return ip_or_none(hops[-trusted]) or peer


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))


class RequestContextMiddleware:
    """Gives each request an id (echoed in X-Request-ID) and records who acts, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = (
            incoming if incoming and len(incoming) <= 64 and incoming.isprintable() else new_request_id()
        )
        request.request_id = request_id
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_context(
            ActionContext(actor=None, request_id=request_id, client_ip=client_ip(request), channel=channel)
        )
        request._cuakhau_context_token = token
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class SessionIdleTimeoutMiddleware:
    """Ends a logged-in session after SESSION_IDLE_TIMEOUT_SECONDS without a request, and sets the
    acting user in the request context once authentication has run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .context import current

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                request.session["expired"] = True
            else:
                request.session["last_seen"] = now
                ctx = current()
                set_context(
                    ActionContext(
                        actor=user, request_id=ctx.request_id, client_ip=ctx.client_ip, channel=ctx.channel
                    )
                )
        return self.get_response(request)


class VietnameseFirstMiddleware:
    """Vietnamese unless the person chose another language (the switch sets Django's language cookie).
    A browser's Accept-Language is not followed: a Board PC set up in English still opens in Vietnamese,
    and a Chinese driver picks 中文 once on the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The response headers Django's SecurityMiddleware and django-csp do not send (docs/security.md,
    "Content-Security-Policy and headers"): Permissions-Policy on every answer (settings.PERMISSIONS_POLICY),
    and Cache-Control: no-store on every answer to a logged-in person and on every API answer, so that
    no browser or shared cache keeps a copy of what only that person may read. Public pages keep what
    their views say; static files never get here (WhiteNoise answers them earlier in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {}) or {}
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in policy.items()
        )

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        private = request.path.startswith("/api/") or (user is not None and user.is_authenticated)
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response

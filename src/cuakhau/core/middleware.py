from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

from .context import ActionContext, new_request_id, reset_context, set_context


def client_ip(request) -> str | None:
    # Behind the production reverse proxy the address is in X-Forwarded-For (first hop is the client);
    # only trusted when the deployment says so.
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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

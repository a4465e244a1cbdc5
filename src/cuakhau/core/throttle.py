"""A per-address limit on attempts at public endpoints (forms, lookups), kept in the database so that
it holds across processes and servers. Each (endpoint, address) has one row with the times of its
recent attempts; the row is locked while it is read and written, so two concurrent requests cannot
both take the last place. The address is stored only as a keyed hash (and IPv6 by its /64 network,
which one household or phone usually holds whole).

Pages call `check(request, scope)` and answer 429 with `too_many_message(retry)` and a Retry-After;
API handlers call `refuse_if_limited(request, scope)`, whose `Throttled` the API answers the same way.
The client address is core.middleware.client_ip's: behind TRUSTED_PROXY_COUNT proxies, never what
the client wrote in X-Forwarded-For."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ServiceError
from .middleware import client_ip
from .models import AttemptThrottle

HOUR = datetime.timedelta(hours=1)


def lookups_per_hour() -> int:
    return int(getattr(settings, "PUBLIC_LOOKUPS_PER_HOUR", 30))


def client_key(address: str | None) -> str:
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
        if ip.version == 6 and ip.ipv4_mapped:
            text = str(ip.ipv4_mapped)
        elif ip.version == 6:
            text = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            text = str(ip)
    except ValueError:
        text = text or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def hit(scope: str, address: str | None, *, limit: int, window: datetime.timedelta = HOUR) -> int | None:
    """Count one attempt. None if it is within the limit; otherwise the seconds until a place frees
    (a refused attempt is not counted, so a flood does not push the window forward)."""
    key = client_key(address)
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                AttemptThrottle.objects.get_or_create(scope=scope, client_key=key)
                row = AttemptThrottle.objects.select_for_update().get(scope=scope, client_key=key)
                since = now - window
                hits = [h for h in row.hits if datetime.datetime.fromisoformat(h) > since]
                if len(hits) >= limit:
                    oldest = min(datetime.datetime.fromisoformat(h) for h in hits)
                    row.hits = hits
                    row.save(update_fields=["hits", "updated_at"])
                    return max(1, int((oldest + window - now).total_seconds()) + 1)
                row.hits = [*hits, now.isoformat()]
                row.save(update_fields=["hits", "updated_at"])
                return None
        except IntegrityError:  # two first attempts created the row at once: read it again
            continue
    return None


def check(request, scope: str, *, limit: int | None = None, window: datetime.timedelta = HOUR) -> int | None:
    """`hit` for the request's client address; the limit is PUBLIC_LOOKUPS_PER_HOUR unless given."""
    return hit(scope, client_ip(request), limit=lookups_per_hour() if limit is None else limit, window=window)


def too_many_message(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return _("Địa chỉ mạng của bạn đã gửi quá nhiều lần trong một giờ. Vui lòng thử lại sau %(n)s phút.") % {
        "n": minutes
    }


def refused_page(request, retry_after: int):
    """The 429 page, with Retry-After, for a page that has no form of its own to show the refusal on."""
    from django.shortcuts import render

    response = render(
        request, "errors/throttled.html", {"refused": too_many_message(retry_after)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


class Throttled(ServiceError):
    """Too many attempts from one address: HTTP 429 with Retry-After."""

    def __init__(self, retry_after: int):
        super().__init__(too_many_message(retry_after), code="throttled", status=429)
        self.retry_after = retry_after


def refuse_if_limited(
    request, scope: str, *, limit: int | None = None, window: datetime.timedelta = HOUR
) -> None:
    retry = check(request, scope, limit=limit, window=window)
    if retry is not None:
        raise Throttled(retry)


def purge(older_than: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    """Drop rows untouched for a while (run from the daily maintenance)."""
    deleted, _count = AttemptThrottle.objects.filter(updated_at__lt=timezone.now() - older_than).delete()
    return deleted

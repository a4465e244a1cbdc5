"""A per-address limit on public submissions, kept in the database so that it holds across
processes and servers. Each (form, address) has one row with the times of its recent submissions;
the row is locked while it is read and written, so two concurrent requests cannot both take the last
place. The address is stored only as a keyed hash (and IPv6 by its /64 network, which one household or
phone usually holds whole)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SubmissionThrottle


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


def hit(scope: str, address: str | None, *, limit: int, window: datetime.timedelta) -> int | None:
    """Count one submission. None if it is within the limit; otherwise the seconds until a place frees
    (a refused submission is not counted, so a flood does not push the window forward)."""
    key = client_key(address)
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                SubmissionThrottle.objects.get_or_create(scope=scope, client_key=key)
                row = SubmissionThrottle.objects.select_for_update().get(scope=scope, client_key=key)
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
        except IntegrityError:  # two first submissions created the row at once: read it again
            continue
    return None


def purge(older_than: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    """Drop rows untouched for a while (run from the daily maintenance)."""
    deleted, _ = SubmissionThrottle.objects.filter(updated_at__lt=timezone.now() - older_than).delete()
    return deleted

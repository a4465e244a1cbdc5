"""Reads in core that are more than a `.get`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import AuditEvent


def login_failures_recent(*, username: str, client_ip: str | None) -> int:
    """Failed logins for this username or from this address within the throttling window.
    The audit log is the record of failures, so throttling needs no table of its own."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    condition = Q(object_id=username[:64])
    if client_ip:
        condition |= Q(client_ip=client_ip)
    return AuditEvent.objects.filter(condition, action="auth.login_failed", occurred_at__gte=since).count()


def login_throttled(*, username: str, client_ip: str | None) -> bool:
    return login_failures_recent(username=username, client_ip=client_ip) >= settings.LOGIN_FAILURE_LIMIT


def is_demo_installation() -> bool:
    """Whether this installation is a demo (`cuakhau demo load` marked it): its documents are samples
    with no legal value and say so. One indexed read; documents ask it as they are produced."""
    from .models import Installation

    return Installation.objects.filter(pk=1, demo=True).exists()

"""E-mail about rent and leases: reminders to the lessee, expiry warnings to the Board. Sent after the
transaction that recorded them commits, through Django's e-mail backend (SMTP where EMAIL_HOST is set,
otherwise files under var/mail/); a failure to send is logged and does not undo what was recorded."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from cuakhau.core.models import User
from cuakhau.core.roles import Role

logger = logging.getLogger(__name__)

# Who at the Board is told that a lease ends soon: the leaders and the departments that keep the register.
BOARD_RECIPIENT_ROLES = (Role.BOARD_LEADER, Role.DEPARTMENT_STAFF)


def _unique(addresses) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for address in addresses:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def lessee_addresses(enterprise) -> list[str]:
    """The enterprise's own address and those of its active users."""
    users = User.objects.filter(unit_id=enterprise.unit_id, is_active=True, role=Role.ENTERPRISE_USER)
    return _unique([enterprise.email, *users.order_by("pk").values_list("email", flat=True)])


def board_addresses() -> list[str]:
    users = User.objects.filter(is_active=True, role__in=BOARD_RECIPIENT_ROLES).order_by("pk")
    return _unique(users.values_list("email", flat=True))


def absolute(path: str) -> str:
    return (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/") + path


def send_on_commit(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return

    def _send():
        try:
            send_mail(subject, body, None, recipients, fail_silently=False)
        except Exception:  # noqa: BLE001 - the reminder stays recorded; the next run does not resend it
            logger.exception("assets mail %r to %s failed", subject, recipients)

    transaction.on_commit(_send, robust=True)

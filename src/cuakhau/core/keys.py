"""Who may hold an API key and who may issue one: the one rule the tokens page, `cuakhau tokens create`
and the bearer authentication follow.

A key acts as its own account, never as a person: it is issued only for an active device or system
account (`User.is_service_account`, a role in SERVICE_ACCOUNT_ROLES, never a superuser or an outside
party), and only by a person whose work covers that account's unit: their own unit, or a unit working
at the gates they act at (every gate for the Board's zone-wide roles). The command line is the server's
operator and may issue for any such account. Whoever issued a key is recorded on it and in its audit
event."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Unit, User
from .permissions import may_hold_key, may_issue_keys
from .roles import SERVICE_ACCOUNT_ROLES

__all__ = ["key_accounts", "may_hold_key", "may_issue_keys"]  # the rules themselves: core.permissions


def key_accounts(issuer: User | None) -> QuerySet[User]:
    """The accounts `issuer` may issue a key for (None: the command line)."""
    accounts = User.objects.filter(
        is_service_account=True,
        is_active=True,
        is_superuser=False,
        is_staff=False,
        role__in=SERVICE_ACCOUNT_ROLES,
        unit__isnull=False,
    )
    if issuer is None:
        return accounts
    if not may_issue_keys(issuer):
        return accounts.none()
    # The issuers are zone-wide, so "the gates they act at" is every gate. Opening the page to a
    # gate-bound role would narrow this to Unit.objects.filter(gates__in=issuer.gate_ids()).
    at_gates = Unit.objects.filter(gates__isnull=False).values("pk")
    return accounts.filter(Q(unit_id=issuer.unit_id) | Q(unit_id__in=at_gates))

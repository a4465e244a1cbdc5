"""What the fee records share: who sees them."""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import Role


def fee_scope(user, action, *, gate_field: str = "gate_id", payer_field: str = "payer_unit_id"):
    """Who sees fee records: the Board's roles and readers all; gate-bound staff their gates'; enterprise
    users their own enterprise's (the payer unit). Writes go through services, which check roles."""
    from cuakhau.core.roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES

    if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
        return True
    if user.role in (Role.GATE_OPERATOR, Role.GATE_CASHIER):
        return Q(**{f"{gate_field}__in": user.gate_ids()})
    if user.role in GATE_BOUND_ROLES:
        return False
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(**{payer_field: user.unit_id})
    return False

"""Who may do what in fees: the app's policy (core.policy)."""

from __future__ import annotations

from cuakhau.core.roles import Role

# Who opens this module from the menu (core.navigation asks `policy.may(user, "fees.open")`).
OPEN_ROLES = frozenset(Role.values) - {Role.DRIVER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES

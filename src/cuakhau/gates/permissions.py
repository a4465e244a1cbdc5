"""Who may do what in gates: the app's policy (core.policy)."""

from __future__ import annotations

from cuakhau.core.roles import Role

# Who opens this module from the menu (core.navigation asks `policy.may(user, "gates.open")`).
OPEN_ROLES = frozenset(Role.values)


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES

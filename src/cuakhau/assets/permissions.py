"""Who may see and change the Board's leasable assets and their leases.

* The Board's department staff keep the register and the leases; leaders and the admin too.
* Inspectors and provincial leaders read everything (for_user refuses them every write).
* An enterprise user sees the leases its enterprise holds and the assets under them.
* Gate-bound roles and drivers: nothing (the pages answer 404).
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import READ_ONLY_ROLES, Role

MANAGERS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})


def _board(user, action):
    if user.role in MANAGERS:
        return True
    if user.role in READ_ONLY_ROLES:
        return action == VIEW
    return None


def asset_scope(user, action):
    answer = _board(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        from .models import Lease

        held = Lease.objects.filter(lessee__unit_id=user.unit_id).values("asset_id")
        return Q(pk__in=held)
    return False


def lease_scope(user, action):
    answer = _board(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(lessee__unit_id=user.unit_id)
    return False


def instalment_scope(user, action):
    answer = _board(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(lease__lessee__unit_id=user.unit_id)
    return False


def is_manager(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in MANAGERS))


# -- policy questions (core.policy: "assets.<question>") ----------------------------------------


def may_manage(user, obj=None) -> bool:
    """Keep the register and the leases: the Board's departments, leaders and the admin."""
    return is_manager(user)


def may_oversee(user, obj=None) -> bool:
    """The Board's view of the register (every lease, the auctions of an asset, the dashboard card):
    those who keep it and those who read everything."""
    return is_manager(user) or bool(user and user.is_authenticated and user.role in READ_ONLY_ROLES)


def may_read(user, obj=None) -> bool:
    """Open the register's pages and API: the Board, readers, and an enterprise's users (who see only
    what their enterprise leases, through the scopes)."""
    return may_oversee(user) or bool(
        user and user.is_authenticated and user.role == Role.ENTERPRISE_USER and user.unit_id
    )

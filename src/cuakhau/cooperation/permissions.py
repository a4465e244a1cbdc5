"""Who may see and change the cooperation records.

* The Board's leader and departments (and the admin) manage everything: counterparts, meetings,
  agreements, commitments, milestones.
* Inspectors and provincial leaders read everything and change nothing.
* Other units (gate centres, agencies at the gates) see only the actions (commitments) their unit
  owns, and report progress on them.
* Enterprises and drivers see nothing (404).
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import EXTERNAL_ROLES, READ_ONLY_ROLES, Role

MANAGERS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})


def board_scope(user, action):
    if user.role in MANAGERS:
        return True
    if user.role in READ_ONLY_ROLES:
        return action == VIEW
    return False


def commitment_scope(user, action):
    if user.role in MANAGERS:
        return True
    if user.role in READ_ONLY_ROLES:
        return action == VIEW
    if user.role in EXTERNAL_ROLES or not user.unit_id:
        return False
    if action in (VIEW, "change"):
        return Q(owner_unit_id=user.unit_id)
    return False


def may_read_board(user) -> bool:
    return user.is_superuser or board_scope(user, VIEW) is True


# Who opens this module from the menu (core.navigation asks `policy.may(user, "cooperation.open")`).
OPEN_ROLES = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
)


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES


# --- questions the scopes cannot answer (core.policy: "cooperation.<question>") -----------------------


def may_manage(user, obj=None) -> bool:
    """Counterparts, meetings, agreements, commitments and milestones are managed by the Board's
    leader and departments (and the admin); they alone drop a commitment."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role in MANAGERS)
    )


def may_list_actions(user) -> bool:
    """The list of tracked actions: the Board and its readers, and units that may own one."""
    return user.is_superuser or commitment_scope(user, VIEW) is not False

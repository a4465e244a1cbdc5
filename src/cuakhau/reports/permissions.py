"""Who may read and write the Board's reports: the Board's roles, inspectors and provincial leaders
read; the departments and the leaders draft and edit; a leader issues (signs). Everyone else: 404."""

from __future__ import annotations

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import READ_ONLY_ROLES, Role

READERS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN}) | READ_ONLY_ROLES
WRITERS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF})
ISSUE = "issue"


def report_scope(user, action):
    if action == VIEW:
        return user.role in READERS
    if action == ISSUE:
        return user.role == Role.BOARD_LEADER
    return user.role in WRITERS


def reads(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role in READERS)
    )


def writes(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in WRITERS | {Role.ADMIN})
    )


def issues(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.BOARD_LEADER, Role.ADMIN))
    )


# Who opens this module from the menu (core.navigation asks `policy.may(user, "reports.open")`).
OPEN_ROLES = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
)


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES

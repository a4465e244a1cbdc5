"""Who may read and change trade statistics. Each model's queryset `scope` calls one function here.

* The Board's roles, inspectors, provincial leaders and the gate-bound roles read every series
  (customs statistics are aggregates, not any one party's data); the departments import and enter rates.
* Enterprise users read exchange rates and their own enterprise's computed turnover (source (a)), never
  the imported series. Drivers read nothing here.
"""

from __future__ import annotations

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES, Role

STATISTICS_READERS = ZONE_WIDE_ROLES | READ_ONLY_ROLES | GATE_BOUND_ROLES


def reads_series(user) -> bool:
    """Whether the user may read the imported statistics (source (b))."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in STATISTICS_READERS


def reads_statistics(user) -> bool:
    """Whether the user may open the statistics pages at all (enterprise users see their own figures)."""
    return reads_series(user) or (
        user is not None
        and user.is_authenticated
        and user.role == Role.ENTERPRISE_USER
        and bool(user.unit_id)
    )


def manages(user) -> bool:
    """Whether the user may import statistics and enter exchange rates."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in (Role.ADMIN, Role.DEPARTMENT_STAFF)


def series_scope(user, action):
    if action == VIEW:
        return user.role in STATISTICS_READERS
    return user.role == Role.DEPARTMENT_STAFF


stat_scope = series_scope
batch_scope = series_scope


def rate_scope(user, action):
    if action == VIEW:
        return user.role in STATISTICS_READERS or user.role == Role.ENTERPRISE_USER
    return user.role == Role.DEPARTMENT_STAFF


def computed_enterprise_filter(user):
    """None: every enterprise's computed figures; else the one enterprise unit the user may see."""
    if reads_series(user):
        return None
    return user.unit_id


# Who opens this module from the menu (core.navigation asks `policy.may(user, "trade.open")`).
OPEN_ROLES = frozenset(Role.values) - {Role.ENTERPRISE_USER, Role.DRIVER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES


def may_see_imported_tabs(user) -> bool:
    """The tabs of the imported and published series: everyone who opens trade but enterprise users."""
    return bool(user.is_superuser or user.role != Role.ENTERPRISE_USER)


def is_enterprise_reader(user) -> bool:
    """An enterprise user (who reads only its own enterprise's computed figures)."""
    return user is not None and getattr(user, "role", "") == Role.ENTERPRISE_USER

"""Who may see and change parties. Each model's queryset `scope` calls one function here.

* The Board's roles (leader, departments, admin) see every party; the departments keep the register.
* Gate-bound roles (operators, cashiers, agency officers) read every party: any vehicle may arrive.
* Inspectors and provincial leaders read (for_user refuses them every write).
* Enterprise users see their own enterprise's records and those of the clients they hold a valid
  customs-agency mandate for, and may change them; they may not change a client's company record.
* Drivers see their own driver record only.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from cuakhau.core.permissions import ADD, CHANGE, VIEW
from cuakhau.core.roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES, Role

# Roles that may read a driver's full identity document number (each reading is audited).
REVEAL_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.GATE_OPERATOR, Role.AGENCY_OFFICER, Role.ADMIN})


def valid_mandate_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def acting_for(user):
    """Ids of the enterprises an enterprise user acts for: their own, and their valid clients."""
    from .models import AgencyMandate, Enterprise

    clients = AgencyMandate.objects.filter(valid_mandate_q(timezone.localdate()), agent__unit_id=user.unit_id)
    return Enterprise.objects.filter(Q(unit_id=user.unit_id) | Q(pk__in=clients.values("client_id"))).values(
        "pk"
    )


def _board_or_gate(user, action):
    """The answer for roles inside the Board and the gates, or None for outside roles."""
    if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
        return True if action == VIEW else user.role == Role.DEPARTMENT_STAFF
    if user.role in GATE_BOUND_ROLES:
        return action == VIEW
    return None


def enterprise_scope(user, action):
    answer = _board_or_gate(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        if action == VIEW:
            from .models import AgencyMandate

            agents = AgencyMandate.objects.filter(
                valid_mandate_q(timezone.localdate()), client__unit_id=user.unit_id
            )
            return Q(pk__in=acting_for(user)) | Q(pk__in=agents.values("agent_id"))
        if action == CHANGE:
            return Q(unit_id=user.unit_id)
    return False


def mandate_scope(user, action):
    answer = _board_or_gate(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        if action == ADD:
            return True  # the client grants; the view offers only the user's own enterprise as client
        return Q(agent__unit_id=user.unit_id) | Q(client__unit_id=user.unit_id)
    return False


def vehicle_scope(user, action):
    answer = _board_or_gate(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        return True if action == ADD else Q(owner__in=acting_for(user))
    return False


def driver_scope(user, action):
    answer = _board_or_gate(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        return True if action == ADD else Q(employer__in=acting_for(user))
    if user.role == Role.DRIVER and action == VIEW:
        return Q(user_id=user.pk)
    return False


def owner_choices(user):
    """The enterprises a user may name as a vehicle's owner or a driver's employer."""
    from .models import Enterprise

    if user.is_superuser or user.role == Role.ADMIN or user.role == Role.DEPARTMENT_STAFF:
        return Enterprise.objects.filter(is_active=True)
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        return Enterprise.objects.filter(pk__in=acting_for(user), is_active=True)
    return Enterprise.objects.none()


def may_reveal_id(user, driver) -> bool:
    """Whether `user` may read this driver's full document number: the Board's departments, gate
    operators and agency officers (who check papers at the gate), the admin, the driver, and the
    users of the driver's employer."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role in REVEAL_ROLES:
        return True
    if user.role == Role.DRIVER:
        return driver.user_id is not None and driver.user_id == user.pk
    if user.role == Role.ENTERPRISE_USER:
        return driver.employer_id is not None and driver.employer.unit_id == user.unit_id
    return False


# Who opens this module from the menu (core.navigation asks `policy.may(user, "parties.open")`).
OPEN_ROLES = frozenset(Role.values) - {Role.PROVINCIAL_LEADER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES

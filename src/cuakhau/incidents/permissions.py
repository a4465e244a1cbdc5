"""Who may see and act on incidents. `Incident.objects.for_user(user, action)` calls `incident_scope`.

* The Board's roles (leader, departments, admin) see every incident and manage them anywhere.
* Inspectors and provincial leaders read every incident (for_user refuses them every write).
* Gate-centre staff (operators, cashiers) see their gates' incidents and record new ones there;
  operators manage them (triage, hand to a force, close, reject).
* A functional force's officers see the incidents handed to their unit and work on them (start,
  resolve). The gate centre and the Board may record that work for a force that has no unit in the
  system (environment, police).
* Everyone else sees nothing (404); the public reads its own report by tracking code only.
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import ADD, CHANGE, VIEW, may_add
from cuakhau.core.roles import READ_ONLY_ROLES, Role

MANAGE = "manage"  # triage, hand to a force, reject, close
WORK = "work"  # start and resolve (the force's own officers, or whoever manages)

BOARD_ACTORS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})
GATE_CENTRE_ROLES = frozenset({Role.GATE_OPERATOR, Role.GATE_CASHIER})


def _gates(user) -> Q:
    return Q(gate_id__in=user.gate_ids())


def incident_scope(user, action):
    if action == CHANGE:
        action = MANAGE
    if user.role in BOARD_ACTORS:
        return True
    if user.role in READ_ONLY_ROLES:
        return action == VIEW
    if user.role in GATE_CENTRE_ROLES:
        if action in (VIEW, ADD):
            return True if action == ADD else _gates(user)
        if action in (MANAGE, WORK) and user.role == Role.GATE_OPERATOR:
            return _gates(user)
        return False
    if user.role == Role.AGENCY_OFFICER and user.unit_id:
        if action in (VIEW, WORK):
            return Q(force_unit_id=user.unit_id)
        return False
    return False


def gates_for_reporting(user):
    """The gates a staff user may record an incident at."""
    from cuakhau.gates.models import Gate

    gates = Gate.objects.active()
    if user.is_superuser or user.role in BOARD_ACTORS:
        return gates
    if user.role in GATE_CENTRE_ROLES:
        return gates.filter(pk__in=user.gate_ids())
    return gates.none()


def may_list(user) -> bool:
    """Whether the user has incidents in their remit at all (the list, the statistics, the API and
    the dashboard card); roles with none are told nothing (404)."""
    return user.is_superuser or incident_scope(user, VIEW) is not False


def may_record(user) -> bool:
    """Whether the user records incidents seen at a gate (the staff form and the API's POST)."""
    from .models import Incident

    return may_add(user, Incident)


# Who opens this module from the menu (core.navigation asks `policy.may(user, "incidents.open")`).
OPEN_ROLES = frozenset(Role.values) - {Role.ENTERPRISE_USER, Role.DRIVER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES

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


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def may_register(user, model) -> bool:
    """Whether the user may register a record of this model (an enterprise, a mandate, a vehicle, a
    driver): the model's scope answers for ADD."""
    from cuakhau.core.permissions import may_add

    return may_add(user, model)


def refused(message: str, *, field: str = ""):
    """The services' refusal of an actor who may not (403). A service asks only about a person: an
    actor of None is the system (the demo loader, a command) and is not refused."""
    from cuakhau.core.errors import ServiceError

    return ServiceError(message, field=field, code="forbidden", status=403)


def may_change(user, obj) -> bool:
    """Whether the user may change this record (its scope for CHANGE)."""
    return type(obj).objects.for_user(user, CHANGE).filter(pk=obj.pk).exists()


def may_name_owner(user, enterprise) -> bool:
    """Whether the user may name this enterprise as a vehicle's owner or a driver's employer."""
    return owner_choices(user).filter(pk=enterprise.pk).exists()


def may_keep_register(user) -> bool:
    """The Board's register keepers (the admin and the departments): they set an enterprise's tax code,
    customs-agent standing and activity, link driver accounts, and act for any enterprise."""
    return _signed_in(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.DEPARTMENT_STAFF))


def may_name_no_owner(user) -> bool:
    """Whether a vehicle or driver this user registers may have no owner or employer on record (a
    Chinese truck, a freelance driver): not when an enterprise registers its own."""
    return not (_signed_in(user) and user.role == Role.ENTERPRISE_USER and not user.is_superuser)


def may_drive(account) -> bool:
    """Whether this account may be linked to a driver's record: a driver's account."""
    return account.role == Role.DRIVER


def may_browse(user) -> bool:
    """Whether the register's lists (enterprises, vehicles, drivers) are offered: not to a driver, who
    sees their own record only."""
    return _signed_in(user) and (user.is_superuser or user.role != Role.DRIVER)


def owner_choices(user):
    """The enterprises a user may name as a vehicle's owner or a driver's employer."""
    from .models import Enterprise

    if may_keep_register(user):
        return Enterprise.objects.filter(is_active=True)
    if _signed_in(user) and user.role == Role.ENTERPRISE_USER and user.unit_id:
        return Enterprise.objects.filter(pk__in=acting_for(user), is_active=True)
    return Enterprise.objects.none()


def mandate_clients(user):
    """The enterprises a user may appoint a customs agent for: any active one for the Board's register
    keepers, their own (active) enterprise for an enterprise user."""
    from .models import Enterprise

    if may_keep_register(user):
        return Enterprise.objects.filter(is_active=True)
    if _signed_in(user) and user.role == Role.ENTERPRISE_USER:
        from .selectors import own_enterprise

        own = own_enterprise(user)
        return Enterprise.objects.filter(pk=own.pk) if own is not None else Enterprise.objects.none()
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

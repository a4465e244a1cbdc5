"""Who may see and act on dossiers. `Dossier.objects.for_user(user, action)` calls `dossier_scope`.

* The Board's leaders, departments and the admin see every dossier and work on any of them (the
  one-stop desk sits in a department; leaders sign results).
* Inspectors read every dossier (for_user refuses them every write).
* Staff of another unit that handles a step (a gate centre, an agency consulted) see the dossiers
  that are, or were, at their unit, and work on those that are there now.
* Enterprise users see their own enterprise's dossiers, submit new ones, supplement and withdraw them.
* Everyone else sees nothing (404); the public reads a dossier through the lookup only, with the code
  and the lookup key printed on the receipt slip.
* The applicant's ID or tax code is shown masked; the one-stop desk (departments), the admin and the
  applicant's own enterprise may read it in full, each reading audited (`may_reveal_applicant_id`).
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import ADD, CHANGE, VIEW
from cuakhau.core.roles import Role

APPLY = "apply"  # the applicant's own steps: supplement, withdraw
BOARD_ACTORS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})
UNIT_STAFF = frozenset({Role.GATE_OPERATOR, Role.GATE_CASHIER, Role.AGENCY_OFFICER})
# Roles that check the applicant's papers at the one-stop desk and so may read the full number.
REVEAL_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.ADMIN})
FIGURE_READERS = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
)


def dossier_scope(user, action):
    if user.role in BOARD_ACTORS:
        return action != APPLY or user.role == Role.DEPARTMENT_STAFF  # the desk acts for applicants
    if user.role == Role.INSPECTOR:
        return action == VIEW
    if user.role in UNIT_STAFF and user.unit_id:
        from .models import DossierEvent

        if action == VIEW:
            touched = DossierEvent.objects.filter(to_unit_id=user.unit_id).values("dossier_id")
            return Q(handling_unit_id=user.unit_id) | Q(pk__in=touched)
        if action == CHANGE:
            return Q(handling_unit_id=user.unit_id)
        return False
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        if action == ADD:
            return True
        if action in (VIEW, APPLY):
            return Q(enterprise__unit_id=user.unit_id)
    return False


def may_read_figures(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.role in FIGURE_READERS)
    )


def may_receive_at_desk(user) -> bool:
    return bool(user.is_superuser or user.role in (Role.DEPARTMENT_STAFF, Role.ADMIN))


def may_edit_catalogue(user) -> bool:
    """The Board's departments (and the admin) publish new versions of the procedures."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.DEPARTMENT_STAFF, Role.ADMIN))
    )


def allowed(user, dossier, action: str) -> bool:
    from .models import Dossier

    return Dossier.objects.for_user(user, action).filter(pk=dossier.pk).exists()


def may_list(user) -> bool:
    """Whether the user has dossiers in their remit at all (the list and the API's list)."""
    return user.is_superuser or dossier_scope(user, VIEW) is not False


def may_submit(user) -> bool:
    """Who submits a dossier online through the service: a business's account (or the admin)."""
    return bool(user.is_superuser or user.role in (Role.ENTERPRISE_USER, Role.ADMIN))


def may_submit_for(user, enterprise) -> bool:
    """A business's account submits only its own enterprise's dossiers."""
    return user.role != Role.ENTERPRISE_USER or enterprise.unit_id == user.unit_id


def may_submit_online(user) -> bool:
    """Who is offered the online form (the page and the API): a business's own account."""
    return user.role == Role.ENTERPRISE_USER


def may_read_internal(user) -> bool:
    """Staff read the applicant's contact details and the internal notes; the applicant does not."""
    return user.role != Role.ENTERPRISE_USER


def may_reveal_applicant_id(user, dossier) -> bool:
    """Whether `user` may read this dossier's full applicant ID or tax code (each reading is audited):
    the one-stop desk and the admin, and the users of the applicant's enterprise; always within the
    user's scope."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not (user.is_superuser or user.role in REVEAL_ROLES or user.role == Role.ENTERPRISE_USER):
        return False
    return allowed(user, dossier, VIEW)


# Who opens this module from the menu (core.navigation asks `policy.may(user, "procedures.open")`).
OPEN_ROLES = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
) | {Role.ENTERPRISE_USER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES

"""Who may see and act on auctions.

* The Board's department staff, leaders and the admin run auctions (every write).
* Inspectors and provincial leaders read everything, the system log included; they write nothing.
* An enterprise user sees the auctions that are public (posted onwards) and registers and bids for its
  own enterprise; of the registrations, deposits and bids it sees only its own with their identity
  (others appear under their anonymous labels, through selectors that never return their rows).
* Gate-bound roles and drivers: nothing (404). The public sees notices and results through the public
  pages, which read only public fields.
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import ADD, VIEW
from cuakhau.core.roles import READ_ONLY_ROLES, Role

MANAGERS = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})


def _board(user, action):
    if user.role in MANAGERS:
        return True
    if user.role in READ_ONLY_ROLES:
        return action == VIEW
    return None


def auction_scope(user, action):
    answer = _board(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        from .models import PUBLIC

        return Q(status__in=list(PUBLIC))
    return False


def registration_scope(user, action):
    answer = _board(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        if action == ADD:
            return True
        return Q(enterprise__unit_id=user.unit_id)
    return False


def deposit_scope(user, action):
    answer = _board(user, action)
    if answer is not None:
        return answer
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(registration__enterprise__unit_id=user.unit_id)
    return False


def is_manager(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role in MANAGERS)
    )


def is_reader(user) -> bool:
    return is_manager(user) or bool(user and user.is_authenticated and user.role in READ_ONLY_ROLES)


def is_bidder_user(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ENTERPRISE_USER and user.unit_id)


# Who opens this module from the menu (core.navigation asks `policy.may(user, "auctions.open")`).
OPEN_ROLES = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
) | {Role.ENTERPRISE_USER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES


# -- policy questions (core.policy: "auctions.<question>") --------------------------------------


def may_manage(user, obj=None) -> bool:
    """Run auctions: draft, approve, every step, deposits (the Board's departments, leaders, admin)."""
    return is_manager(user)


def may_read(user, obj=None) -> bool:
    """Read every auction with its bidders' identities and the system log (the Board and readers)."""
    return is_reader(user)


def may_visit(user, obj=None) -> bool:
    """Open the auction pages at all: readers, and enterprise users (public auctions, their own
    registration)."""
    return is_reader(user) or is_bidder_user(user)


def may_bid_as(user, obj=None) -> bool:
    """Register and bid for one's own enterprise (an enterprise user with its unit)."""
    return is_bidder_user(user)


def may_register(user, enterprise) -> bool:
    """Register `enterprise` for an auction: its own users, or the Board recording a dossier handed in
    on paper."""
    return is_manager(user) or (is_bidder_user(user) and enterprise.unit_id == user.unit_id)


def may_bid(user, registration) -> bool:
    """Bid or withdraw for a registration: its enterprise's users, or the Board recording a bid on a
    bidder's behalf (the services' tests and the demo play sessions this way)."""
    return is_manager(user) or (is_bidder_user(user) and registration.enterprise.unit_id == user.unit_id)

"""Who may see and act on traffic records. Each model's queryset `scope` calls one function here.

Declarations
* The Board's roles and the read-only roles see every declaration; the Board's departments regulate
  them (approve, return, call forward, cancel, close) anywhere.
* Gate operators see and regulate the declarations for their unit's gates; cashiers and agency
  officers see them.
* Enterprise users see and change (draft, edit, submit, cancel) their enterprise's declarations and
  those of the clients they hold a valid customs-agency mandate for.
* Drivers see the declarations they drive.

Agency checks: visible with their declaration; recorded only by an officer of the matching agency
(`Unit.agency_kind`) working at the declaration's gate.
Yards, gate events, exceptions: gate-bound roles at their gates, the Board everywhere; operators and
the departments act on them; the Board's leaders and departments release an exit refused for an unpaid
fee. Gates' exit rules: staff read them, the departments set them.
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import ADD, CHANGE, VIEW
from cuakhau.core.roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES, Role

REGULATE = "regulate"  # approve, return, call forward, cancel as staff, close
RECORD = "record"  # an agency officer's check result


def _gate_q(user, field: str = "gate") -> Q:
    return Q(**{f"{field}__in": user.gate_ids()})


def declaration_scope(user, action):
    if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
        if action == VIEW:
            return True
        return action == REGULATE and user.role == Role.DEPARTMENT_STAFF
    if user.role in GATE_BOUND_ROLES:
        if action == VIEW:
            return _gate_q(user)
        if action == REGULATE and user.role == Role.GATE_OPERATOR:
            return _gate_q(user)
        return False
    if user.role == Role.ENTERPRISE_USER and user.unit_id:
        from cuakhau.parties.permissions import acting_for

        if action == ADD:
            return True
        if action in (VIEW, CHANGE):
            return Q(enterprise__in=acting_for(user))
        return False
    if user.role == Role.DRIVER and action == VIEW:
        return Q(driver__user_id=user.pk)
    return False


def check_scope(user, action):
    from .models import Declaration

    if action == VIEW:
        return Q(declaration__in=Declaration.objects.for_user(user, VIEW).values("pk"))
    if (
        action in (RECORD, CHANGE)
        and user.role == Role.AGENCY_OFFICER
        and user.unit_id
        and user.unit.agency_kind
    ):
        return Q(agency_kind=user.unit.agency_kind) & _gate_q(user, "declaration__gate")
    return False


def regulation_scope(user, action):
    """Capacities and time slots: everyone signed in reads them; the departments set them for every
    gate and operators for their own gates."""
    if action == VIEW:
        return True
    if user.role == Role.DEPARTMENT_STAFF:
        return True
    if user.role == Role.GATE_OPERATOR:
        return True if action == ADD else _gate_q(user)
    return False


def gate_object_scope(user, action):
    if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
        return True if action == VIEW else user.role == Role.DEPARTMENT_STAFF
    if user.role in GATE_BOUND_ROLES:
        if action == VIEW or user.role == Role.GATE_OPERATOR:
            return _gate_q(user)
    return False


def exit_rule_scope(user, action):
    """Gates' exit rules: the Board's, gate-bound and read-only roles read them; the Board's departments
    set them (as they publish tariffs)."""
    if action == VIEW:
        return is_staff_role(user)
    return user.role == Role.DEPARTMENT_STAFF


# Who may let a truck out that its gate's exit rule refuses for an unpaid fee: the Board's leaders and
# departments, who supervise the gate centres. A gate operator alone may not (there is no supervisor
# role inside a centre), nor the system's administrators.
RELEASE_ROLES = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF})


def may_release_exit(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in RELEASE_ROLES)


def may_set_exit_rule(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.DEPARTMENT_STAFF)


def may_regulate_gate(user, gate) -> bool:
    """Whether the user may set capacities and slots, and call vehicles forward, at this gate."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role in (Role.ADMIN, Role.DEPARTMENT_STAFF):
        return True
    return user.role == Role.GATE_OPERATOR and gate.pk in user.gate_ids()


# A trip that has not reached the yard is cancelled by its declarant until the vehicle is called, and
# by the gate once approved (a vehicle that does not come).
CANCELLABLE_BY_DECLARANT = ("draft", "submitted", "returned", "approved")
CANCELLABLE_BY_GATE = ("approved", "called")


def cancel_states(user, declaration) -> tuple[str, ...]:
    """The states from which this user may cancel this declaration (empty: never)."""
    from .models import Declaration

    one = Declaration.objects.filter(pk=declaration.pk)
    states: tuple[str, ...] = ()
    if one.for_user(user, CHANGE).exists():
        states += CANCELLABLE_BY_DECLARANT
    if one.for_user(user, REGULATE).exists():
        states += tuple(s for s in CANCELLABLE_BY_GATE if s not in states)
    return states


def may_cancel(user, declaration) -> bool:
    """Whether the user may cancel this declaration at all, as its declarant or as its gate."""
    return bool(cancel_states(user, declaration))


# Who posts gate events as a person (devices post with their unit's key): the gate centres' operators
# at their gates, the Board's departments and the administrators anywhere.
POSTING_ROLES = frozenset({Role.GATE_OPERATOR, Role.DEPARTMENT_STAFF, Role.ADMIN})


def may_post_gate_events(user) -> bool:
    return bool(user.is_superuser or user.role in POSTING_ROLES)


def may_post_events_anywhere(user) -> bool:
    """Events for every gate, not only the user's unit's."""
    return bool(user.is_superuser or user.role in (Role.ADMIN, Role.DEPARTMENT_STAFF))


def upload_job_scope(user, action):
    """A background declarations upload: seen by the users of the uploader's enterprise only."""
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(enterprise__unit_id=user.unit_id)
    return False


def may_declare_for_anyone(user) -> bool:
    """The system's administrators declare for any enterprise, with any vehicle (support, corrections)."""
    return bool(user.is_superuser or user.role == Role.ADMIN)


def may_declare_for(user, enterprise) -> bool:
    """Whether the user may declare trips for this enterprise: its own people and its customs agents
    under a valid mandate (parties.permissions.acting_for), or an administrator."""
    if may_declare_for_anyone(user):
        return True
    if user.role != Role.ENTERPRISE_USER:
        return False
    from cuakhau.parties.permissions import acting_for

    return acting_for(user).filter(pk=enterprise.pk).exists()


def may_declare(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.ENTERPRISE_USER)


def is_staff_role(user) -> bool:
    return bool(user.is_superuser or user.role in ZONE_WIDE_ROLES | READ_ONLY_ROLES | GATE_BOUND_ROLES)


# Who opens this module from the menu (core.navigation asks `policy.may(user, "traffic.open")`).
OPEN_ROLES = frozenset(Role.values) - {Role.PROVINCIAL_LEADER}


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES


# --- pages and menus: which of traffic's pages a user works from ---------------------------------------


def may_open_my_trips(user) -> bool:
    """A driver's own trips page (and the first page a driver sees)."""
    return user.role == Role.DRIVER


def may_open_declarations(user) -> bool:
    """The declarations list: everyone but drivers, who have their trips page."""
    return user.is_superuser or user.role != Role.DRIVER


def may_record_checks(user) -> bool:
    """An agency officer records checks (and starts at the checks page)."""
    return user.role == Role.AGENCY_OFFICER


def may_open_checks(user) -> bool:
    return user.is_superuser or may_record_checks(user)


def may_start_at_board(user) -> bool:
    """Gate centres' operators and cashiers start at their gate's regulation board."""
    return not user.is_superuser and user.role in (Role.GATE_OPERATOR, Role.GATE_CASHIER)


def may_open_boards(user) -> bool:
    """The regulation boards, yards and exit rules are staff pages: not enterprises', not drivers'."""
    return user.is_superuser or user.role not in (Role.ENTERPRISE_USER, Role.DRIVER)


def may_open_exit_rules_tab(user) -> bool:
    """Agency officers have no business with the exit rules: the tab is not shown to them."""
    return may_open_boards(user) and (user.is_superuser or user.role != Role.AGENCY_OFFICER)


YARD_ROLES = GATE_BOUND_ROLES | {Role.DEPARTMENT_STAFF, Role.BOARD_LEADER, Role.INSPECTOR, Role.ADMIN}


def may_open_yards(user) -> bool:
    return user.is_superuser or user.role in YARD_ROLES


RESOLVE_ROLES = frozenset({Role.GATE_OPERATOR, Role.DEPARTMENT_STAFF, Role.ADMIN})


def may_resolve_exceptions(user) -> bool:
    """Operators resolve the gate exceptions (the rows' own scope says which)."""
    return user.is_superuser or user.role in RESOLVE_ROLES


def may_see_all_road_gates(user) -> bool:
    """The Board's and read-only roles see every road gate's board; gate-bound roles their own."""
    return user.is_superuser or user.role not in (Role.GATE_OPERATOR, Role.GATE_CASHIER, Role.AGENCY_OFFICER)


def may_see_traffic_cards(user) -> bool:
    """The dashboard's traffic cards: not for the province's leaders (they have the reports)."""
    return user.is_superuser or user.role != Role.PROVINCIAL_LEADER


def may_see_only_own_trip(user) -> bool:
    """A driver's dashboard shows the trip they drive, not counts."""
    return not user.is_superuser and user.role == Role.DRIVER


YARD_CARD_ROLES = frozenset(
    {Role.GATE_OPERATOR, Role.DEPARTMENT_STAFF, Role.BOARD_LEADER, Role.ADMIN, Role.INSPECTOR}
)


def may_see_yard_card(user) -> bool:
    return user.is_superuser or user.role in YARD_CARD_ROLES

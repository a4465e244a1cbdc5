"""Who may do what in fees: the app's policy (core.policy).

The scopes the models' managers call (`Model.objects.for_user(user, action)`: each queryset's `scope`
asks the function here), and the `may_<question>` answers for what a scope cannot say.

* Fee records (assessments, receipts, payments): the Board's roles and readers see all; gate-centre
  staff (operators, cashiers) their gates'; an enterprise its own (the payer unit), read only. Writes
  go through the services, which ask the questions below.
* Tariffs, resolutions and their rules are published law: every signed-in user reads them (a draft
  only those who keep them); the Board's departments keep them.
* A collecting point's receipt series and bank account: the Board reads all and its departments keep
  them; a gate centre's staff read their own centre's.
* Bank statements: the Board reads them, its departments and the centres' cashiers reconcile them.
* Cashier shifts: the Board reads them; a cashier closes their own and reads their gates'.
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES, Role

GATE_CENTRE_ROLES = frozenset({Role.GATE_OPERATOR, Role.GATE_CASHIER})
TARIFF_KEEPERS = frozenset({Role.DEPARTMENT_STAFF})
# The Board's departments approve a payer's debt limit, as they keep the collection accounts.
CREDIT_ROLES = frozenset({Role.DEPARTMENT_STAFF})
RECONCILE_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.GATE_CASHIER, Role.ADMIN})

# Who opens this module from the menu (core.navigation asks `policy.may(user, "fees.open")`).
OPEN_ROLES = frozenset(Role.values) - {Role.DRIVER}


def _board_or_reader(user) -> bool:
    return user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES


# --- scopes (the managers call these) ----------------------------------------------------------------


def fee_scope(user, action, *, gate_field: str = "gate_id", payer_field: str = "payer_unit_id"):
    """Who sees fee records: the Board's roles and readers all; gate-bound staff their gates'; enterprise
    users their own enterprise's (the payer unit). Writes go through services, which check roles."""
    if _board_or_reader(user):
        return True
    if user.role in GATE_CENTRE_ROLES:
        return Q(**{f"{gate_field}__in": user.gate_ids()})
    if user.role in GATE_BOUND_ROLES:
        return False
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(**{payer_field: user.unit_id})
    return False


def payer_scope(user, action):
    """A payer's balance and debt limit, read as fee records are: gate fee staff see the payers charged at
    their gates (fee_scope on the assessments), an enterprise its own."""
    from .models import FeeAssessment

    scope = fee_scope(user, action, payer_field="payer_unit_id")
    if isinstance(scope, Q):
        return Q(unit_id__in=FeeAssessment.objects.filter(scope).values("payer_unit_id"))
    return scope


def reference_scope(user, action):
    """Resolutions, tariff rules, confirmations: published law, read by every signed-in user; the
    Board's departments keep them."""
    if action == VIEW:
        return True
    return user.role in TARIFF_KEEPERS


def tariff_scope(user, action):
    """A draft is not law yet: only those who keep the tariffs see it."""
    from .models import TariffStatus

    if action == VIEW and user.role not in TARIFF_KEEPERS:
        return ~Q(status=TariffStatus.DRAFT)
    return reference_scope(user, action)


def series_scope(user, action):
    """A collecting point's receipt series and its collection account."""
    if _board_or_reader(user):
        return True if action == VIEW else user.role == Role.DEPARTMENT_STAFF
    if user.role in GATE_CENTRE_ROLES and action == VIEW:
        return Q(collector_unit_id=user.unit_id)
    return False


def statement_scope(user, action):
    if _board_or_reader(user):
        return True if action == VIEW else user.role == Role.DEPARTMENT_STAFF
    return user.role == Role.GATE_CASHIER  # the centre's cashiers reconcile the Board's collection account


def shift_scope(user, action):
    if _board_or_reader(user):
        return action == VIEW
    if user.role == Role.GATE_CASHIER:
        return Q(cashier_id=user.pk) if action != VIEW else Q(gate_id__in=user.gate_ids())
    if user.role == Role.GATE_OPERATOR and action == VIEW:
        return Q(gate_id__in=user.gate_ids())
    return False


# --- questions (core.policy: `policy.may(user, "fees.<question>", obj)`) -----------------------------


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES


def may_collect(user, assessment=None) -> bool:
    """Cash at the counter, the counter and the shift pages: a gate cashier (at the assessment's gate)."""
    if getattr(user, "role", "") != Role.GATE_CASHIER:
        return False
    return assessment is None or assessment.gate_id in user.gate_ids()


def may_reconcile(user) -> bool:
    """Import bank statements and resolve their lines."""
    return user.is_superuser or user.role in RECONCILE_ROLES


def may_replace(user, receipt=None) -> bool:
    """Replace a mistaken receipt: the Board's staff, or a cashier at the receipt's gate; never a reader."""
    if user.role in READ_ONLY_ROLES:
        return False
    if user.is_superuser or user.role in ZONE_WIDE_ROLES:
        return True
    return may_collect(user) and (receipt is None or receipt.gate_id in user.gate_ids())


def may_confirm(user) -> bool:
    """Confirm an illustrative rule: the Board's staff who keep the tariffs (the tariffs' ADD scope: its
    departments, and the administrators); never inspectors, gate staff, enterprises or drivers."""
    from cuakhau.core.permissions import may_add

    from .models import Tariff

    return may_add(user, Tariff)


def may_see_credit(user) -> bool:
    """The payers' debt limits page: the Board, its readers and the gate staff."""
    return user.is_superuser or user.role in ZONE_WIDE_ROLES | READ_ONLY_ROLES | GATE_BOUND_ROLES


def may_set_credit(user) -> bool:
    return user.is_superuser or user.role in CREDIT_ROLES

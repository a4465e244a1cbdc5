"""Who may see and change plans, tasks, directives, actions and feedback. Each model's queryset
`scope` calls one function here.

* The Board's leaders and departments (and the admin) manage plans and directives: they add and change
  tasks and actions, and enter the province's evaluation.
* Inspectors and provincial leaders read everything (for_user refuses them every write).
* Staff of any other internal unit (gate centres, agencies at the gates) see and update the tasks and
  actions their unit leads or cooperates on, and the plans and directives those belong to.
* Enterprises and drivers see none of it (404 everywhere).
* Figures on the public's ratings of staff are for leaders only: the Board's and the province's.
"""

from __future__ import annotations

from django.db.models import Q

from cuakhau.core.permissions import VIEW
from cuakhau.core.roles import EXTERNAL_ROLES, READ_ONLY_ROLES, Role

# The custom action a unit's staff hold on their own tasks and actions: report progress.
PROGRESS = "progress"

MANAGER_ROLES = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})
FEEDBACK_READER_ROLES = frozenset({Role.BOARD_LEADER, Role.PROVINCIAL_LEADER, Role.ADMIN})


def is_manager(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in MANAGER_ROLES))


def is_reader(user) -> bool:
    """Sees every plan and directive (managers, inspectors, provincial leaders)."""
    return bool(user and user.is_authenticated and (is_manager(user) or user.role in READ_ONLY_ROLES))


def may_use(user) -> bool:
    """Whether the module exists for this user at all (enterprises and drivers: no)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role not in EXTERNAL_ROLES)
    )


def may_read_feedback(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in FEEDBACK_READER_ROLES))


def _unit_member(user) -> bool:
    return user.role not in EXTERNAL_ROLES and bool(user.unit_id)


def unit_task_ids(unit_id):
    from .models import Task

    return Task.objects.filter(
        Q(lead_unit_id=unit_id)
        | Q(pk__in=Task.cooperating_units.through.objects.filter(unit_id=unit_id).values("task_id"))
    ).values("pk")


def unit_action_ids(unit_id):
    from .models import Action

    return Action.objects.filter(
        Q(owner_unit_id=unit_id)
        | Q(pk__in=Action.cooperating_units.through.objects.filter(unit_id=unit_id).values("action_id"))
    ).values("pk")


def plan_scope(user, action):
    if is_reader(user):
        return True if action == VIEW else user.role in MANAGER_ROLES
    if action == VIEW and _unit_member(user):
        from .models import Task

        return Q(pk__in=Task.objects.filter(pk__in=unit_task_ids(user.unit_id)).values("plan_id"))
    return False


def task_scope(user, action):
    if is_reader(user):
        return True if action == VIEW else user.role in MANAGER_ROLES
    if action in (VIEW, PROGRESS) and _unit_member(user):
        return Q(pk__in=unit_task_ids(user.unit_id))
    return False


def directive_scope(user, action):
    if is_reader(user):
        return True if action == VIEW else user.role in MANAGER_ROLES
    if action == VIEW and _unit_member(user):
        from .models import Action

        return Q(pk__in=Action.objects.filter(pk__in=unit_action_ids(user.unit_id)).values("directive_id"))
    return False


def action_scope(user, action):
    if is_reader(user):
        return True if action == VIEW else user.role in MANAGER_ROLES
    if action in (VIEW, PROGRESS) and _unit_member(user):
        return Q(pk__in=unit_action_ids(user.unit_id))
    return False


def feedback_scope(user, action):
    return action == VIEW and user.role in FEEDBACK_READER_ROLES


# Who opens this module from the menu (core.navigation asks `policy.may(user, "plans.open")`).
OPEN_ROLES = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
)


def may_open(user) -> bool:
    return user.is_superuser or user.role in OPEN_ROLES


# --- questions the scopes cannot answer (core.policy: "plans.<question>") ----------------------------


def may_manage(user, obj=None) -> bool:
    """Plans, tasks, directives and actions are managed by the Board's leaders and departments."""
    return is_manager(user)


def may_read_all(user, obj=None) -> bool:
    """Every plan and directive, not only one unit's (managers, inspectors, provincial leaders)."""
    return is_reader(user)


def may_report_progress(user, task) -> bool:
    """A progress report on this task now: in the user's scope, and its plan issued and not closed."""
    from .models import PlanStatus, Task

    return (
        task.plan.status == PlanStatus.ACTIVE
        and Task.objects.for_user(user, PROGRESS).filter(pk=task.pk).exists()
    )

"""Pages for work plans, tasks, the province's evaluation, directives and actions, notifications, and
the public's feedback. Thin: scope, form, service. Out of scope is 404.

One module a subject (plans, tasks, directives, notifications, feedback); base holds what they share.
"""

from .base import manager_page, module_page
from .directives import (
    action_create,
    action_detail,
    action_list,
    action_reschedule,
    action_update,
    directive_create,
    directive_detail,
    directive_list,
)
from .feedback import feedback_figures, feedback_public
from .notifications import notifications, notifications_read
from .plans import (
    index,
    plan_create,
    plan_detail,
    plan_edit,
    plan_evaluate,
    plan_transition,
    unit_detail,
    units,
)
from .tasks import evidence_download, indicator_create, task_create, task_detail, task_edit, task_progress

__all__ = [
    "action_create",
    "action_detail",
    "action_list",
    "action_reschedule",
    "action_update",
    "directive_create",
    "directive_detail",
    "directive_list",
    "evidence_download",
    "feedback_figures",
    "feedback_public",
    "index",
    "indicator_create",
    "manager_page",
    "module_page",
    "notifications",
    "notifications_read",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_evaluate",
    "plan_transition",
    "task_create",
    "task_detail",
    "task_edit",
    "task_progress",
    "unit_detail",
    "units",
]

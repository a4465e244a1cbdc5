"""Writes for plans, tasks, the province's evaluation, directives and their actions, notifications and
the public's feedback. Each function is one transaction with one audit event; bad input or an illegal
transition raises ServiceError naming the field, and nothing is changed.

The life of a plan: draft -> active (issued; units report progress) -> closed (the year is over; the
province's evaluation may be entered). The province evaluates each key task on three levels
(completed with clear results, completed without clear results, not completed), as it did for the
Board's 2017 key tasks.

One module a subject: plans, tasks (with progress, evidence and indicators), evaluation, directives
(and their actions), reminders (and notifications), feedback; `plans.validation` holds the shared
checks and `plans.actions` the workflows. Every function takes `actor` (None: the system or, for
feedback, the public) and checks its own permission.
Import from here: `from cuakhau.plans.services import task_add`.
"""

from .directives import action_add, action_reschedule, action_update, directive_create
from .evaluation import plan_evaluation_record, task_evaluate
from .feedback import feedback_submit
from .plans import plan_activate, plan_close, plan_create, plan_update
from .reminders import REMIND_WORKING_DAYS, notification_mark_read, reminders_send
from .tasks import (
    EVIDENCE_TYPES,
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    indicator_add,
    indicator_record_actual,
    task_add,
    task_report_progress,
    task_update,
)

__all__ = [
    "EVIDENCE_TYPES",
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_FILES",
    "REMIND_WORKING_DAYS",
    "action_add",
    "action_reschedule",
    "action_update",
    "directive_create",
    "feedback_submit",
    "indicator_add",
    "indicator_record_actual",
    "notification_mark_read",
    "plan_activate",
    "plan_close",
    "plan_create",
    "plan_evaluation_record",
    "plan_update",
    "reminders_send",
    "task_add",
    "task_evaluate",
    "task_report_progress",
    "task_update",
]

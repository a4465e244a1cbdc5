"""Every write to traffic records. One function per change: keyword-only, one transaction, one
audit event. Views, the API, the CLI and tasks call these."""

from .checks import check_record
from .closing import crossed_close
from .declarations import (
    checks_needed,
    declaration_approve,
    declaration_call_forward,
    declaration_cancel,
    declaration_complete,
    declaration_return,
    declaration_submit,
)
from .drafting import declaration_create, declaration_update, direction_for, draft_errors
from .exits import exit_refusal, exit_release, exit_rule_set, payment_due
from .gate_events import exception_dismiss, exception_resolve, gate_event_post, gate_event_record
from .regulation import capacity_set, slot_add, slot_remove

__all__ = [
    "capacity_set",
    "check_record",
    "checks_needed",
    "crossed_close",
    "declaration_approve",
    "declaration_call_forward",
    "declaration_cancel",
    "declaration_complete",
    "declaration_create",
    "declaration_return",
    "declaration_submit",
    "declaration_update",
    "direction_for",
    "draft_errors",
    "exception_dismiss",
    "exception_resolve",
    "exit_refusal",
    "exit_release",
    "exit_rule_set",
    "gate_event_post",
    "gate_event_record",
    "payment_due",
    "slot_add",
    "slot_remove",
]

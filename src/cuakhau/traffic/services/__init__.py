"""Every write to traffic records. One function per change: keyword-only with a required `actor`, one
transaction (`@service`), one audit event; a state change is a step of its workflow (actions.py).
Views, the API, the CLI and tasks call these."""

from .checks import check_record
from .declarations import (
    declaration_approve,
    declaration_call_forward,
    declaration_cancel,
    declaration_complete,
    declaration_return,
    declaration_submit,
)
from .drafting import declaration_create, declaration_update
from .exits import exit_release, exit_rule_set
from .gate_events import exception_dismiss, exception_resolve, gate_event_post, gate_event_record
from .regulation import capacity_set, slot_add, slot_remove

__all__ = [
    "capacity_set",
    "check_record",
    "declaration_approve",
    "declaration_call_forward",
    "declaration_cancel",
    "declaration_complete",
    "declaration_create",
    "declaration_return",
    "declaration_submit",
    "declaration_update",
    "exception_dismiss",
    "exception_resolve",
    "exit_release",
    "exit_rule_set",
    "gate_event_post",
    "gate_event_record",
    "slot_add",
    "slot_remove",
]

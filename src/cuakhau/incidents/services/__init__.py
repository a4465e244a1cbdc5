"""Writes to incidents. Each function is one transaction with one audit event; bad input or a step
the incident's state does not allow raises ServiceError naming the field, and nothing is changed.

The lifecycle (Decree 34/2014/ND-CP on border-area regulation and Decree 112/2014/ND-CP on land
border gates give the gate-area forces their tasks; the Management Board's gate centres coordinate
them at the gate):

    reported → triaged → handed → in_progress → resolved → closed
    reported | triaged → rejected (spam, duplicate, out of scope, unfounded)

A public report is anonymous to the system (no account); its contact details are personal data
(Decree 13/2023/ND-CP) and are kept out of the audit log.

Modules: reporting (the two ways in), lifecycle (the steps after, each a transition of
`cuakhau.incidents.actions.WORKFLOW`). Every function takes the acting user as `actor` and checks its
own permission. Import from here: `from cuakhau.incidents.services import incident_triage`."""

from .lifecycle import (
    incident_close,
    incident_hand,
    incident_reject,
    incident_reopen,
    incident_resolve,
    incident_start,
    incident_triage,
)
from .reporting import incident_record, incident_report_public

__all__ = [
    "incident_close",
    "incident_hand",
    "incident_record",
    "incident_reject",
    "incident_reopen",
    "incident_report_public",
    "incident_resolve",
    "incident_start",
    "incident_triage",
]

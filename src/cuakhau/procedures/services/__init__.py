"""Writes to dossiers. Each function is one transaction with one audit event; bad input or a step the
dossier's state does not allow raises ServiceError naming the field, and nothing is changed.

The one-stop mechanism (Decree 61/2018/ND-CP, amended by Decree 107/2021/ND-CP; forms of Circular
01/2018/TT-VPCP): a dossier is received (or refused, form 03) at the one-stop desk, which issues the
receipt-and-appointment slip (form 01); it is handed from unit to unit, each hand-off timed on the
handover-and-tracking slip (form 06); the handling unit may ask for a supplement (form 02), which
pauses the clock, or for the fee; the result is returned at the desk. A dossier that will be late
gets an apology letter with one new appointment (form 04); a withdrawn dossier is stopped (form 05).

    new → received | refused
    received → processing ⇄ supplement | fee_due → processed → returned
    new | received | processing | supplement | fee_due → withdrawn → stopped

The clock rules are in clock.py.

One module a subject: reception (submission, the desk, refusal), processing (hand-offs, supplements, the
fee, the result, withdrawal), deadlines (apologies and warnings), versions (the catalogue), applicants
(the full ID, audited). The steps are the transitions of `cuakhau.procedures.actions.WORKFLOW`; what
the services share that is not a write is in `rules.py` (checks, units, the clock's start),
`codes.py` (gapless dossier codes) and `files.py` (uploads). Every function takes the acting user as
`actor` (None only for the system) and checks its own permission.
Import from here: `from cuakhau.procedures.services import dossier_submit`.
"""

from .applicants import dossier_reveal_applicant_id
from .deadlines import dossier_apologise, warnings_send
from .processing import (
    dossier_handoff,
    dossier_pay_fee,
    dossier_process,
    dossier_request_fee,
    dossier_request_supplement,
    dossier_return,
    dossier_stop,
    dossier_supplement,
    dossier_withdraw,
)
from .reception import dossier_receive, dossier_receive_at_desk, dossier_refuse, dossier_submit
from .versions import procedure_version_publish

__all__ = [
    "dossier_apologise",
    "dossier_handoff",
    "dossier_pay_fee",
    "dossier_process",
    "dossier_receive",
    "dossier_receive_at_desk",
    "dossier_refuse",
    "dossier_request_fee",
    "dossier_request_supplement",
    "dossier_return",
    "dossier_reveal_applicant_id",
    "dossier_stop",
    "dossier_submit",
    "dossier_supplement",
    "dossier_withdraw",
    "procedure_version_publish",
    "warnings_send",
]

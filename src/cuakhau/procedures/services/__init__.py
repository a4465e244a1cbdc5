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
fee, the result, withdrawal), deadlines (apologies and warnings), versions (the catalogue), codes (gapless
dossier codes), files (uploads); common holds the transitions and the steps they share.
Import from here: `from cuakhau.procedures.services import dossier_submit`.
"""

from ..models import FINISHED
from .applicants import dossier_reveal_applicant_id
from .codes import DEFAULT_AGENCY_CODE, agency_code, allocate_code
from .common import ACTION_LABELS, PUBLIC_SNAPSHOT, TRANSITIONS, unit_by_code
from .deadlines import dossier_apologise, warnings_send
from .files import ALLOWED_FILES, MAX_FILE_BYTES, MAX_FILES, check_file
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
from .reception import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_submit,
    normalise_id,
)
from .versions import procedure_version_publish

__all__ = [
    "ACTION_LABELS",
    "ALLOWED_FILES",
    "DEFAULT_AGENCY_CODE",
    "FINISHED",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "PUBLIC_SNAPSHOT",
    "TRANSITIONS",
    "agency_code",
    "allocate_code",
    "check_file",
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
    "normalise_id",
    "procedure_version_publish",
    "unit_by_code",
    "warnings_send",
]

"""Every write of an auction: one function per transition, each one transaction with one audit event
that names its legal basis (the article from the auction's rule pack). Bad input or a step the law does
not allow raises ServiceError naming the field and the article, and nothing changes.

The lifecycle (Status): draft → approved → posted → registration_open → registration_closed →
deposits_checked → bidders_fixed → live → closed → record_signed → results_sent → contracted, with
unsuccessful and cancelled where the law says, suspended for a technical failure, and a re-auction as a
new draft that links to the failed one.

Time is the server's (clock.now()), read inside the auction row's lock wherever it decides something.

One module a subject: drafting (to the opening of registration), registration (to the fixing of the
bidders), deposits, session (bids and the close), results (after the session), failures (suspension,
cancellation, re-auction), packs (the rule packs); common holds what they share inside a transaction.
Each step of an auction is a transition of its workflow (auctions.actions.WORKFLOW).
Import from here: `from cuakhau.auctions.services import bid_place`."""

from ..selectors import deposit_received, deposit_settlement
from ..validation import CODE_ALPHABET, FORFEIT_RULE
from .deposits import (
    DEPOSIT_REF_RE,
    deposit_forfeit,
    deposit_lines_record,
    deposit_receive,
    deposit_refund,
    deposit_statement_import,
)
from .drafting import (
    DRAFT_FIELDS,
    auction_approve,
    auction_create,
    auction_post,
    auction_registration_open,
    auction_update,
)
from .failures import auction_cancel, auction_reauction, auction_reschedule, auction_suspend
from .packs import rule_packs_load
from .registration import (
    DOC_TYPES,
    MAX_DOC_BYTES,
    auction_bidders_fix,
    auction_deposits_check,
    auction_registration_close,
    registration_decide,
    registration_submit,
)
from .results import (
    auction_contract_sign,
    auction_record_sign,
    auction_results_send,
    auction_runner_up_answer,
    auction_winner_refuse,
)
from .session import _append, auction_close, auction_start, bid_place, bid_withdraw, close_due

__all__ = [
    "CODE_ALPHABET",
    "DEPOSIT_REF_RE",
    "DOC_TYPES",
    "DRAFT_FIELDS",
    "FORFEIT_RULE",
    "MAX_DOC_BYTES",
    "_append",  # the tests forge a bid chain with it
    "auction_approve",
    "auction_bidders_fix",
    "auction_cancel",
    "auction_close",
    "auction_contract_sign",
    "auction_create",
    "auction_deposits_check",
    "auction_post",
    "auction_reauction",
    "auction_record_sign",
    "auction_registration_close",
    "auction_registration_open",
    "auction_reschedule",
    "auction_results_send",
    "auction_runner_up_answer",
    "auction_start",
    "auction_suspend",
    "auction_update",
    "auction_winner_refuse",
    "bid_place",
    "bid_withdraw",
    "close_due",
    "deposit_forfeit",
    "deposit_lines_record",
    "deposit_received",
    "deposit_refund",
    "deposit_receive",
    "deposit_settlement",
    "deposit_statement_import",
    "registration_decide",
    "registration_submit",
    "rule_packs_load",
]

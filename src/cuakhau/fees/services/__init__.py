"""The writes of the fees app, one module a subject: tariffs (with resolutions, the law that sets them),
assessments (a trip's fee at gate-in), receipts (series, collection accounts, cash at the counter,
replacement, the cashier's shift), balances (prepaid deposits), statements (bank statements and their
reconciliation), confirmations (of illustrative rules), credit (payers' debt limits). Every one takes
the acting user as `actor` and checks its own permission (core.service). Re-exported here, so callers
write `from cuakhau.fees.services import tariff_revise`."""

from .assessments import REFERENCE_ALPHABET, fee_assess
from .balances import deposit_record
from .confirmations import rule_confirm
from .credit import credit_limit_set
from .receipts import (
    collection_account_set,
    payment_collect_cash,
    receipt_replace,
    receipt_series_create,
    series_for,
    shift_close,
)
from .resolutions import RESOLUTION_FIELDS, resolution_ensure
from .statements import statement_import, statement_line_resolve
from .tariffs import (
    REVISABLE_RULE_FIELDS,
    RULE_FIELDS,
    tariff_create,
    tariff_draft_create,
    tariff_draft_update,
    tariff_publish,
    tariff_revise,
)

__all__ = [
    "REFERENCE_ALPHABET",
    "RESOLUTION_FIELDS",
    "REVISABLE_RULE_FIELDS",
    "RULE_FIELDS",
    "collection_account_set",
    "credit_limit_set",
    "deposit_record",
    "fee_assess",
    "payment_collect_cash",
    "receipt_replace",
    "receipt_series_create",
    "resolution_ensure",
    "rule_confirm",
    "series_for",
    "shift_close",
    "statement_import",
    "statement_line_resolve",
    "tariff_create",
    "tariff_draft_create",
    "tariff_draft_update",
    "tariff_publish",
    "tariff_revise",
]

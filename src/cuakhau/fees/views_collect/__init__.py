"""Pages of the collection flow: assessments, the cashier's counter, receipts (PDF, signed XML, public
lookup), payments and bank statements, the shift close, revenue. Thin: services and selectors do the work.

One module a page group: assessments (with the section's front page), counter (the counter and the shift
close), receipts, payments (with bank statements and collection accounts), credit (payers' approved
debt limits), revenue; base holds what they
share. Every page is named here, so urls.py keeps writing `views_collect.<page>`.
"""

from .assessments import (
    assessment_collect,
    assessment_detail,
    assessment_list,
    assessment_notice_pdf,
    home,
)
from .base import XLSX, is_cashier, may_reconcile, page, parse_day
from .counter import counter, shift
from .credit import credit_limits
from .payments import account_edit, account_list, payments, unmatched
from .receipts import (
    receipt_detail,
    receipt_list,
    receipt_lookup,
    receipt_pdf,
    receipt_replace,
    receipt_xml,
)
from .revenue import GROUPS, revenue

__all__ = [
    "GROUPS",
    "XLSX",
    "account_edit",
    "account_list",
    "assessment_collect",
    "assessment_detail",
    "assessment_list",
    "assessment_notice_pdf",
    "counter",
    "credit_limits",
    "home",
    "is_cashier",
    "may_reconcile",
    "page",
    "parse_day",
    "payments",
    "receipt_detail",
    "receipt_list",
    "receipt_lookup",
    "receipt_pdf",
    "receipt_replace",
    "receipt_xml",
    "revenue",
    "shift",
    "unmatched",
]

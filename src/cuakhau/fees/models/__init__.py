"""The fees app's tables, one module a subject: tariffs (resolutions, tariffs, rules and their
choices), assessments, receipts (series and e-receipts), payments (money received and bank statements),
shifts (cashier shifts); common holds the scope they share. Every name is re-exported here, so callers
keep writing `from cuakhau.fees.models import Receipt`."""

from .assessments import (
    AssessmentStatus,
    FeeAssessment,
    FeeAssessmentQuerySet,
)
from .common import fee_scope
from .payments import (
    BankStatement,
    LineStatus,
    Payment,
    PaymentQuerySet,
    StatementLine,
    StatementLineQuerySet,
    StatementQuerySet,
)
from .receipts import (
    FORM_SYMBOL_RE,
    MAX_RECEIPT_NUMBER,
    RECEIPT_SYMBOL_RE,
    FormSymbol,
    PaymentMethod,
    Receipt,
    ReceiptQuerySet,
    ReceiptSeries,
    ReceiptSeriesQuerySet,
    ReceiptStatus,
)
from .shifts import (
    CashierShift,
    CashierShiftQuerySet,
)
from .tariffs import (
    Basis,
    Flow,
    GoodsKind,
    ImmutableTariff,
    MixedLoadRule,
    Origin,
    Resolution,
    ResolutionQuerySet,
    RuleKind,
    Tariff,
    TariffQuerySet,
    TariffRule,
    TariffRuleQuerySet,
    TariffStatus,
    VehicleClass,
)

__all__ = [
    "AssessmentStatus",
    "BankStatement",
    "Basis",
    "CashierShift",
    "CashierShiftQuerySet",
    "FORM_SYMBOL_RE",
    "FeeAssessment",
    "FeeAssessmentQuerySet",
    "Flow",
    "FormSymbol",
    "GoodsKind",
    "ImmutableTariff",
    "LineStatus",
    "MAX_RECEIPT_NUMBER",
    "MixedLoadRule",
    "Origin",
    "Payment",
    "PaymentMethod",
    "PaymentQuerySet",
    "RECEIPT_SYMBOL_RE",
    "Receipt",
    "ReceiptQuerySet",
    "ReceiptSeries",
    "ReceiptSeriesQuerySet",
    "ReceiptStatus",
    "Resolution",
    "ResolutionQuerySet",
    "RuleKind",
    "StatementLine",
    "StatementLineQuerySet",
    "StatementQuerySet",
    "Tariff",
    "TariffQuerySet",
    "TariffRule",
    "TariffRuleQuerySet",
    "TariffStatus",
    "VehicleClass",
    "fee_scope",
]

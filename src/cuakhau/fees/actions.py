"""The fees app's workflow (core.actions) and the names of its audit events.

    Tariff: draft → in_force (publish) → replaced (by a revision, a new version: services.tariff_revise)

Publishing is the one state change a user asks for on a page: a `Transition` that the service runs
with `TARIFF_WORKFLOW.step(...)`. The other status moves are consequences of a document being issued
(an assessment paid when its receipt is issued, a receipt replaced by the receipt that names it, a
statement line matched by a payment): they happen inside the service that issues the document, under
its locks, and are recorded by that document's event.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Transition, Workflow, audit_actions
from cuakhau.core.audit import snapshot
from cuakhau.core.permissions import CHANGE

from .models import Tariff, TariffStatus

RULE_FIELDS = [
    "key",
    "section",
    "label",
    "kind",
    "flows",
    "goods",
    "vehicle_classes",
    "origin",
    "taxable",
    "delivered_inland",
    "transship_only",
    "basis",
    "amount",
    "multiplier_percent",
    "precedence",
    "is_demo",
    "source",
    "sort_order",
]


def tariff_snap(tariff: Tariff) -> dict[str, Any]:
    """A tariff for an audit event: its header and its rules (a published tariff is law as it reads)."""
    return snapshot(tariff) | {"rules": [snapshot(r, RULE_FIELDS) for r in tariff.rules.all()]}


TARIFF_WORKFLOW = Workflow(
    Tariff,
    "fees.tariff",
    transitions=[
        Transition(
            "publish",
            _("ban hành"),
            sources={TariffStatus.DRAFT},
            target=TariffStatus.IN_FORCE,
            permission=CHANGE,
        ),
    ],
    snapshot=tariff_snap,
    describe=lambda t: str(_("biểu phí %(tariff)s") % {"tariff": t}),
)

audit_actions.register(
    "fees",
    {
        "fees.assessment.assess": _("tính phí lượt xe"),
        "fees.tariff.draft_create": _("lập dự thảo biểu phí"),
        "fees.tariff.draft_update": _("sửa dự thảo biểu phí"),
        "fees.tariff.create": _("nạp biểu phí"),
        "fees.tariff.revise": _("ban hành phiên bản sửa đổi của biểu phí"),
        "fees.resolution.create": _("nạp nghị quyết"),
        "fees.rule.confirm": _("xác nhận quy tắc thu phí"),
        "fees.collection_account.set": _("đặt tài khoản thu phí"),
        "fees.receipt_series.create": _("mở ký hiệu biên lai"),
        "fees.receipt.issue": _("lập biên lai"),
        "fees.receipt.replace": _("lập biên lai thay thế"),
        "fees.receipt.mark_replaced": _("đánh dấu biên lai bị thay thế"),
        "fees.receipts.generate": _("sinh dữ liệu biên lai"),
        "fees.shift.open": _("mở ca thu"),
        "fees.shift.close": _("đóng ca thu"),
        "fees.payment.deposit": _("nhận tiền ký quỹ"),
        "fees.statement.import": _("nhập sao kê ngân hàng"),
        "fees.statement_line.resolve": _("xử lý dòng sao kê"),
        "fees.credit_limit.set": _("duyệt hạn mức nợ phí"),
    },
    legacy={
        "fee.assess": "fees.assessment.assess",
        "tariff.draft_create": "fees.tariff.draft_create",
        "tariff.draft_update": "fees.tariff.draft_update",
        "tariff.publish": "fees.tariff.publish",
        "tariff.create": "fees.tariff.create",
        "tariff.revise": "fees.tariff.revise",
        "resolution.create": "fees.resolution.create",
        "collection_account.set": "fees.collection_account.set",
        "receipt_series.create": "fees.receipt_series.create",
        "receipt.issue": "fees.receipt.issue",
        "receipt.replace": "fees.receipt.replace",
        "receipt.mark_replaced": "fees.receipt.mark_replaced",
        "fees.generate": "fees.receipts.generate",
        "shift.open": "fees.shift.open",
        "shift.close": "fees.shift.close",
        "payment.deposit": "fees.payment.deposit",
        "statement.import": "fees.statement.import",
        "statement_line.resolve": "fees.statement_line.resolve",
        "credit_limit.set": "fees.credit_limit.set",
    },
)

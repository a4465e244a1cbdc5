"""The asset register's audit actions and the lease's workflow (core.actions): a lease in force ends
at its term or is terminated early; every other write is registered here by name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Transition, Workflow, audit_actions
from cuakhau.core.permissions import CHANGE

from .models import Lease, LeaseStatus

audit_actions.register(
    "assets",
    {
        "assets.asset.create": _("ghi tài sản"),
        "assets.asset.file_add": _("đính kèm tệp tài sản"),
        "assets.lease.create": _("ghi hợp đồng thuê"),
        "assets.lease.expiry_warn": _("cảnh báo hợp đồng thuê sắp hết hạn"),
        "assets.instalment.pay": _("ghi tiền thuê"),
        "assets.instalment.remind": _("nhắc nộp tiền thuê"),
    },
)

LEASE_WORKFLOW = Workflow(
    Lease,
    "assets.lease",
    transitions=[
        Transition(
            "end",
            _("kết thúc hợp đồng thuê"),
            sources={LeaseStatus.ACTIVE},
            target=LeaseStatus.ENDED,
            permission=CHANGE,
        ),
        Transition(
            "terminate",
            _("chấm dứt hợp đồng thuê trước hạn"),
            sources={LeaseStatus.ACTIVE},
            target=LeaseStatus.TERMINATED,
            permission=CHANGE,
            style="danger",
        ),
    ],
)

audit_actions.register(
    "assets",
    {},
    legacy={
        "asset.create": "assets.asset.create",
        "asset.file_add": "assets.asset.file_add",
        "lease.create": "assets.lease.create",
        "lease.expiry_warn": "assets.lease.expiry_warn",
        "lease.ended": "assets.lease.end",
        "lease.terminated": "assets.lease.terminate",
        "rent.payment": "assets.instalment.pay",
        "rent.remind": "assets.instalment.remind",
    },
)

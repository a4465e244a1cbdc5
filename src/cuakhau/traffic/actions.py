"""Traffic's state changes and audit actions (core.actions).

The declaration's lifecycle is one `Workflow`. The system (actor None: the demo loader, the nightly
close) takes its steps as the services always let it; pages and the API always act as a person.

    draft ─submit→ submitted ─approve→ approved ─call→ called ─gate_in→ in_yard ─cross→ crossed
      ↑   (update)     │                                       ─cross→ crossed ─complete→ completed
      └──── returned ←return─┘
    cancel: from draft, submitted, returned, approved (the declarant) and approved, called (the gate)

`gate_in` and `cross` are taken by a device's gate event (services.gate_events), a hot path: it asks
`allows_from` (no query) and the device's own gate check (the token's unit's gates) instead of the
step's scope query, and writes the transition's audit action itself. Gate exceptions (resolved,
dismissed, released) and agency checks (passed, held) have workflows of their own. Every other action
traffic records is registered below, with the names earlier versions recorded."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Transition, Workflow, audit_actions
from cuakhau.core.audit import snapshot
from cuakhau.core.permissions import CHANGE, VIEW

from . import permissions
from .models import AgencyCheck, CheckStatus, Declaration, ExceptionStatus, GateException, Status
from .permissions import RECORD, REGULATE

S = Status

# What a declaration's audit event keeps: never its pass nonce (the QR pass's secret).
AUDIT_FIELDS = [
    "enterprise",
    "agent",
    "vehicle",
    "trailer",
    "driver",
    "gate",
    "flow",
    "direction",
    "two_way",
    "planned_arrival",
    "status",
    "queue_number",
    "return_reason",
    "cancel_reason",
]


def declaration_snapshot(declaration: Declaration) -> dict[str, Any]:
    return snapshot(declaration, AUDIT_FIELDS)


def _describe_declaration(declaration: Declaration) -> str:
    return gettext("tờ khai %(n)s") % {"n": declaration.number}


DECLARATION = Workflow(
    Declaration,
    "traffic.declaration",
    transitions=[
        Transition("submit", _("gửi duyệt"), {S.DRAFT, S.RETURNED}, S.SUBMITTED, CHANGE, system=True),
        Transition("approve", _("duyệt"), {S.SUBMITTED}, S.APPROVED, REGULATE, system=True),
        Transition("return", _("trả lại"), {S.SUBMITTED}, S.RETURNED, REGULATE, system=True),
        Transition(
            "call",
            _("gọi vào"),
            {S.APPROVED},
            S.CALLED,
            REGULATE,
            audit="traffic.declaration.call_forward",
            system=True,
        ),
        Transition("complete", _("đóng chuyến"), {S.CROSSED}, S.COMPLETED, REGULATE, system=True),
        # The declarant and the gate cancel from different states (permissions.cancel_states): the
        # guard asks either scope, the service refuses a state the actor's side may not cancel from.
        Transition(
            "cancel",
            _("hủy tờ khai"),
            set(permissions.CANCELLABLE_BY_DECLARANT) | set(permissions.CANCELLABLE_BY_GATE),
            S.CANCELLED,
            VIEW,
            guard=lambda user, obj: user is None or permissions.may_cancel(user, obj),
            system=True,
            style="danger",
        ),
        Transition("update", _("sửa"), {S.DRAFT, S.RETURNED}, S.DRAFT, CHANGE),
        Transition("gate_in", _("cho vào bãi"), {S.CALLED}, S.IN_YARD, REGULATE),
        Transition("cross", _("cho qua cửa khẩu"), {S.IN_YARD, S.CALLED}, S.CROSSED, REGULATE),
        # A supervisor lets out a trip its gate's exit rule refused: the trip keeps its state.
        Transition(
            "exit_release",
            _("cho xe ra khi chưa nộp phí"),
            {S.IN_YARD, S.CALLED},
            None,
            VIEW,
            guard=lambda user, obj: permissions.may_release_exit(user),
        ),
    ],
    snapshot=declaration_snapshot,
    describe=_describe_declaration,
)

# The steps a declaration's page offers as buttons (editing has its own page; gate events and the
# release come from devices and the exception's page).
PAGE_STEPS = ("submit", "approve", "call", "complete", "return", "cancel")


def _exception_snapshot(exception: GateException) -> dict[str, Any]:
    return snapshot(exception, ["status", "declaration", "note", "resolved_by", "resolved_at"])


def _describe_exception(exception: GateException) -> str:
    return gettext("ngoại lệ %(pk)s") % {"pk": exception.pk}


E = ExceptionStatus
GATE_EXCEPTION = Workflow(
    GateException,
    "traffic.gate_exception",
    transitions=[
        Transition("resolve", _("xử lý"), {E.OPEN}, E.RESOLVED, CHANGE, system=True),
        Transition("dismiss", _("đóng"), {E.OPEN}, E.DISMISSED, CHANGE, system=True),
        Transition(
            "release",
            _("cho xe ra"),
            {E.OPEN},
            E.RELEASED,
            VIEW,
            guard=lambda user, obj: permissions.may_release_exit(user),
        ),
    ],
    snapshot=_exception_snapshot,
    describe=_describe_exception,
)


def _check_snapshot(check: AgencyCheck) -> dict[str, Any]:
    return snapshot(check, ["declaration", "agency_kind", "status", "note", "decided_by", "decided_at"])


def _describe_check(check: AgencyCheck) -> str:
    return gettext("kiểm tra %(kind)s") % {"kind": check.get_agency_kind_display()}


C = CheckStatus
# An agency's result may change (a re-inspection) until the vehicle crosses: the declaration's state
# decides that (services.checks), not the check's.
AGENCY_CHECK = Workflow(
    AgencyCheck,
    "traffic.check",
    transitions=[
        Transition("pass", _("cho đạt"), set(C.values), C.PASSED, RECORD, system=True),
        Transition("hold", _("tạm giữ"), set(C.values), C.HELD, RECORD, system=True),
    ],
    snapshot=_check_snapshot,
    describe=_describe_check,
)


audit_actions.register(
    "traffic",
    {
        "traffic.declaration.create": _("khai tờ khai"),
        "traffic.declaration.exit_refused": _("từ chối cho xe ra vì chưa nộp phí"),
        "traffic.gate_event.unmatched": _("sự kiện cổng không khớp tờ khai"),
        "traffic.gate_event.blocked": _("sự kiện cổng bị chặn"),
        "traffic.gate_event.already_in": _("sự kiện cổng: xe đã ở trong bãi"),
        "traffic.gate_event.already_crossed": _("sự kiện cổng: xe đã qua cửa khẩu"),
        "traffic.exit_rule.set": _("đặt quy định xe ra"),
        "traffic.capacity.set": _("đặt năng lực thông quan"),
        "traffic.slot.add": _("thêm khung giờ"),
        "traffic.slot.remove": _("bỏ khung giờ"),
        "traffic.upload.enqueue": _("nhận tệp tờ khai để kiểm tra"),
        "traffic.upload.finish": _("nhập tệp tờ khai"),
        "traffic.upload.refuse": _("từ chối tệp tờ khai"),
        "traffic.trips.generate": _("sinh dữ liệu chuyến xe"),
    },
    legacy={
        "declaration.create": "traffic.declaration.create",
        "declaration.update": "traffic.declaration.update",
        "declaration.submit": "traffic.declaration.submit",
        "declaration.approve": "traffic.declaration.approve",
        "declaration.return": "traffic.declaration.return",
        "declaration.call_forward": "traffic.declaration.call_forward",
        "declaration.cancel": "traffic.declaration.cancel",
        "declaration.complete": "traffic.declaration.complete",
        "declaration.gate_in": "traffic.declaration.gate_in",
        "declaration.cross": "traffic.declaration.cross",
        "declaration.exit_refused": "traffic.declaration.exit_refused",
        "declaration.exit_release": "traffic.declaration.exit_release",
        "gate_event.unmatched": "traffic.gate_event.unmatched",
        "gate_event.blocked": "traffic.gate_event.blocked",
        "gate_event.already_in": "traffic.gate_event.already_in",
        "gate_event.already_crossed": "traffic.gate_event.already_crossed",
        "gate_exception.resolve": "traffic.gate_exception.resolve",
        "gate_exception.dismiss": "traffic.gate_exception.dismiss",
        "check.pass": "traffic.check.pass",
        "check.hold": "traffic.check.hold",
        "exit_rule.set": "traffic.exit_rule.set",
        "traffic.capacity_set": "traffic.capacity.set",
        "traffic.slot_add": "traffic.slot.add",
        "traffic.slot_remove": "traffic.slot.remove",
        "traffic.generate": "traffic.trips.generate",
    },
)

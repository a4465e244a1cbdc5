"""/api/v1/traffic: declarations (create, submit, approve, return, call forward, cancel, complete, list,
detail), device gate events (POST /gate-events with an Idempotency-Key header) and the queue of a gate
(GET /queue?gate=CODE). Everything is scoped to the caller: an enterprise token sees its enterprise's
declarations only, and another's is 404; a device token posts only for its unit's gates."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cuakhau.core.api_types import ReadDecimal, ReadInt
from cuakhau.core.errors import Problems
from cuakhau.gates.models import Gate

from . import permissions, selectors, services, validation
from .forms import driver_choices, enterprise_choices
from .models import Declaration, Direction, Flow

router = Router(tags=["traffic"])

MAX_LIST = 500


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class CheckOut(Schema):
    agency: str = Field(..., alias="agency_kind")
    status: str
    note: str
    decided_at: datetime.datetime | None


class LineOut(Schema):
    line_no: int
    hs_code: str
    description: str
    goods_kind: str
    quantity: Decimal
    unit: str
    gross_kg: Decimal
    value: Decimal
    currency: str
    value_vnd: int | None


class ContainerOut(Schema):
    number: str
    size: int


class DeclarationOut(Schema):
    id: int
    number: str
    status: str
    enterprise: str = Field(..., description="mã số thuế")
    agent: str | None
    gate: str
    flow: str
    direction: str
    vehicle: str
    trailer: str | None
    driver: str
    driver_id_masked: str
    planned_arrival: datetime.datetime
    two_way: bool
    queue_number: int | None
    return_reason: str
    cancel_reason: str
    fee_amount: int | None = Field(None, description="đồng, khi đã tính phí lúc vào bãi")
    fee_reference: str | None
    checks: list[CheckOut]
    lines: list[LineOut]
    containers: list[ContainerOut]

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.tax_code

    @staticmethod
    def resolve_agent(obj):
        return obj.agent.tax_code if obj.agent_id else None

    @staticmethod
    def resolve_gate(obj):
        return obj.gate.code

    @staticmethod
    def resolve_vehicle(obj):
        return obj.vehicle.plate

    @staticmethod
    def resolve_trailer(obj):
        return obj.trailer.plate if obj.trailer_id else None

    @staticmethod
    def resolve_driver(obj):
        return obj.driver.full_name

    @staticmethod
    def resolve_driver_id_masked(obj):
        return obj.driver.masked_id

    @staticmethod
    def resolve_fee_amount(obj):
        return obj.fee_assessment.amount if obj.fee_assessment_id else None

    @staticmethod
    def resolve_fee_reference(obj):
        return obj.fee_assessment.payment_reference if obj.fee_assessment_id else None

    @staticmethod
    def resolve_checks(obj):
        return list(obj.checks.all())

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_containers(obj):
        return list(obj.containers.all())


class LineIn(Schema):
    hs_code: str = Field(..., max_length=20, examples=["0810.90.10"])
    description: str = Field(..., max_length=255)
    # JSON numbers as they are; numbers sent as strings read in the caller's language ("1.200" is 1200).
    quantity: ReadDecimal
    unit: str = Field(..., max_length=16)
    gross_kg: ReadDecimal
    value: ReadDecimal
    currency: str = Field("VND", max_length=3)
    value_vnd: ReadInt | None = None


class ContainerIn(Schema):
    number: str = Field(..., max_length=16, examples=["CSQU3054383"])
    size: int = Field(..., description="20 hoặc 40")


class DeclarationIn(Schema):
    enterprise: str = Field(..., description="mã số thuế của doanh nghiệp", max_length=20)
    gate: str = Field(..., max_length=40, examples=["HUUNGHI"])
    flow: Flow
    direction: Direction | Literal[""] = ""
    vehicle: str = Field(..., max_length=32, examples=["12C-123.45"])
    trailer: str = Field("", max_length=32)
    driver_id: int
    planned_arrival: datetime.datetime
    two_way: bool = False
    note: str = Field("", max_length=500)
    lines: list[LineIn] = Field(..., max_length=50)
    containers: list[ContainerIn] = Field([], max_length=4)
    submit: bool = Field(False, description="gửi duyệt ngay")


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class DeclarationFilter(Schema):
    q: str = ""
    status: str = ""
    gate: str = ""


def _full(pk):
    return (
        Declaration.objects.select_related(
            "enterprise", "agent", "vehicle", "trailer", "driver", "gate", "fee_assessment"
        )
        .prefetch_related("checks", "lines", "containers")
        .get(pk=pk)
    )


@router.get("/declarations", response=list[DeclarationOut], summary="Danh sách tờ khai (trong phạm vi)")
def list_declarations(request, filters: Query[DeclarationFilter]):
    return (
        selectors.declaration_list(user=request.user, q=filters.q, status=filters.status, gate=filters.gate)
        .select_related("agent", "fee_assessment")
        .prefetch_related("checks", "lines", "containers")[:MAX_LIST]
    )


@router.get("/declarations/{int:declaration_id}", response=DeclarationOut, summary="Một tờ khai")
def get_declaration(request, declaration_id: int):
    return _full(selectors.declaration_detail(user=request.user, pk=declaration_id).pk)


@router.post(
    "/declarations",
    response={201: DeclarationOut, 403: ErrorOut, 422: ErrorOut},
    summary="Khai tờ khai (nháp, hoặc gửi duyệt ngay)",
)
def create_declaration(request, payload: DeclarationIn):
    if not permissions.may_declare(request.user) and not request.user.is_superuser:
        return Status(403, {"detail": _("Chỉ người dùng doanh nghiệp khai được tờ khai."), "errors": []})
    from cuakhau.parties.services import normalise_tax_code

    # Every lookup's refusal and the service's checks are answered together in `errors`.
    problems = Problems()
    code = problems.run(normalise_tax_code, payload.enterprise, field="enterprise")
    enterprise = enterprise_choices(request.user).filter(tax_code=code).first() if code else None
    if code and enterprise is None:
        problems.add(
            _("Bạn không được khai cho doanh nghiệp mã số thuế %(c)s.") % {"c": code}, field="enterprise"
        )
    gate = Gate.objects.filter(code=payload.gate).first()
    if gate is None:
        problems.add(_("Không có cửa khẩu mã %(c)s.") % {"c": payload.gate}, field="gate")
    driver = driver_choices(request.user).filter(pk=payload.driver_id).first()
    if driver is None:
        problems.add(_("Không có lái xe này trong phạm vi của bạn."), field="driver_id")
    vehicle = problems.run(validation.vehicle_by_plate, payload.vehicle)
    trailer = (
        problems.run(validation.vehicle_by_plate, payload.trailer, field="trailer", trailer=True)
        if payload.trailer
        else None
    )
    draft = {
        "gate": gate,
        "flow": payload.flow,
        "direction": payload.direction,
        "vehicle": vehicle,
        "trailer": trailer,
        "driver": driver,
        "planned_arrival": payload.planned_arrival,
        "two_way": payload.two_way,
        "note": payload.note,
        "lines": [line.dict() for line in payload.lines],
        "containers": [c.dict() for c in payload.containers],
    }
    if problems:
        later = validation.draft_errors(actor=request.user, enterprise=enterprise, **draft)
        if later is not None:
            problems.merge(later, skip={"driver"} if driver is None else ())
        problems.raise_if_any()
    declaration = services.declaration_create(actor=request.user, enterprise=enterprise, **draft)
    if payload.submit:
        declaration = services.declaration_submit(actor=request.user, declaration=declaration)
    return Status(201, _full(declaration.pk))


def _transition(request, declaration_id: int, step: str, reason: str = ""):
    # Outside the caller's scope: 404. Visible but not the caller's to act on: the workflow's 403.
    declaration = selectors.declaration_detail(user=request.user, pk=declaration_id)
    if step in ("return", "cancel", "call_forward"):
        getattr(services, f"declaration_{step}")(actor=request.user, declaration=declaration, reason=reason)
    else:
        getattr(services, f"declaration_{step}")(actor=request.user, declaration=declaration)
    return Status(200, _full(declaration.pk))


RESPONSES = {200: DeclarationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/declarations/{int:declaration_id}/submit", response=RESPONSES, summary="Gửi duyệt")
def submit_declaration(request, declaration_id: int):
    return _transition(request, declaration_id, "submit")


@router.post("/declarations/{int:declaration_id}/approve", response=RESPONSES, summary="Duyệt, cấp số thứ tự")
def approve_declaration(request, declaration_id: int):
    return _transition(request, declaration_id, "approve")


@router.post("/declarations/{int:declaration_id}/return", response=RESPONSES, summary="Trả lại, kèm lý do")
def return_declaration(request, declaration_id: int, payload: ReasonIn):
    return _transition(request, declaration_id, "return", payload.reason)


@router.post("/declarations/{int:declaration_id}/call-forward", response=RESPONSES, summary="Gọi xe vào")
def call_forward(request, declaration_id: int, payload: ReasonIn | None = None):
    return _transition(request, declaration_id, "call_forward", payload.reason if payload else "")


@router.post("/declarations/{int:declaration_id}/cancel", response=RESPONSES, summary="Hủy, kèm lý do")
def cancel_declaration(request, declaration_id: int, payload: ReasonIn):
    return _transition(request, declaration_id, "cancel", payload.reason)


@router.post("/declarations/{int:declaration_id}/complete", response=RESPONSES, summary="Đóng chuyến đã qua")
def complete_declaration(request, declaration_id: int):
    return _transition(request, declaration_id, "complete")


# --- gate events ---------------------------------------------------------------------------------


class GateEventIn(Schema):
    kind: Literal["in", "out"]
    gate: str = Field("", max_length=40, description="mã cửa khẩu; có thể bỏ khi ghi yard")
    yard: str = Field("", max_length=40, description="mã bãi; bỏ trống: vạch biên giới")
    plate: str = Field("", max_length=32, description="biển số như camera đọc")
    qr: str = Field("", max_length=400, description="nội dung mã QR (đường dẫn hoặc mã)")
    occurred_at: datetime.datetime | None = None


class DeclarationRef(Schema):
    id: int
    number: str
    status: str


class PaymentDueOut(Schema):
    amount_due: int = Field(..., description="đồng còn phải nộp")
    reference: str = Field(..., description="mã thanh toán: nội dung chuyển khoản")
    vietqr: str = Field(
        ..., description="chuỗi VietQR (NAPAS 247) đúng số tiền và mã thanh toán; rỗng khi phí là tạm tính"
    )
    bank_bin: str
    account: str
    account_name: str
    provisional: str = Field(
        "", description="phí tạm tính (mức thu minh họa chưa được Ban xác nhận): lý do chưa thu được"
    )


class GateEventOut(Schema):
    id: int
    kind: str
    gate: str
    yard: str | None
    occurred_at: str
    plate: str
    matched_by: str | None
    accepted: bool
    result: str
    detail: str
    declaration: DeclarationRef | None
    exception: int | None
    payment: PaymentDueOut | None = Field(
        None, description="khi quy định xe ra của cửa khẩu từ chối vì chưa nộp phí (result = unpaid)"
    )


@router.post(
    "/gate-events",
    response={201: GateEventOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Sự kiện vào/ra từ thiết bị (cần tiêu đề Idempotency-Key)",
    description=(
        "result: in_yard, crossed, already_in, already_crossed; blocked (chưa được qua: kiểm tra, trạng "
        "thái), unpaid (quy định xe ra của cửa khẩu yêu cầu nộp phí trước: payment cho số tiền và mã "
        "VietQR), unmatched. accepted=false: xe ở lại, ngoại lệ cho điều hành viên."
    ),
)
def post_gate_event(request, payload: GateEventIn, response: HttpResponse):
    status, data, replayed = services.gate_event_post(
        actor=request.user,
        token=getattr(request, "api_token", None),
        key=request.headers.get("Idempotency-Key", ""),
        body=payload.model_dump(mode="json"),
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, data)


# --- queue ---------------------------------------------------------------------------------------


class QueueRowOut(Schema):
    place: int
    queue_number: int
    declaration_id: int
    plate: str
    wait_minutes: int | None


class QueueDirectionOut(Schema):
    direction: str
    daily_limit: int | None
    vehicles_per_hour: float | None
    waiting: int
    called: int
    in_yard: int
    next_wait_minutes: int | None
    queue: list[QueueRowOut]


class QueueOut(Schema):
    gate: str
    directions: list[QueueDirectionOut]


@router.get("/queue", response=QueueOut, summary="Hàng chờ của một cửa khẩu (trong phạm vi người gọi)")
def get_queue(request, gate: str):
    found = get_object_or_404(Gate, code=gate, is_active=True)
    base = Declaration.objects.for_user(request.user)
    if base.query.is_empty():
        raise Http404
    directions = []
    for b in selectors.board(gate=found, base=base):
        directions.append(
            {
                "direction": b.direction,
                "daily_limit": b.daily_limit,
                "vehicles_per_hour": round(b.rate, 2) if b.rate else None,
                "waiting": len(b.waiting),
                "called": len(b.called),
                "in_yard": len(b.in_yard),
                "next_wait_minutes": b.next_wait,
                "queue": [
                    {
                        "place": r.place,
                        "queue_number": r.declaration.queue_number,
                        "declaration_id": r.declaration.pk,
                        "plate": r.declaration.vehicle.plate,
                        "wait_minutes": r.wait_minutes,
                    }
                    for r in b.waiting
                ],
            }
        )
    return {"gate": found.code, "directions": directions}

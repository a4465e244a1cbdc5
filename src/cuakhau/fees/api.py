import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cuakhau.core.errors import ServiceError, errors_as_list

from . import selectors
from .engine import FLOWS, GOODS, GoodsLine, simple_charge
from .formatting import explain, format_vnd
from .models import Tariff

router = Router(tags=["fees"])

FlowName = Literal[FLOWS]  # type: ignore[valid-type]
GoodsName = Literal[GOODS]  # type: ignore[valid-type]


class TariffOut(Schema):
    id: int
    code: str
    version: int
    name: str
    province: str
    resolution: str
    status: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    mixed_load_rule: str
    cap_per_trip: int | None
    has_demo_values: bool

    @staticmethod
    def resolve_resolution(obj):
        return obj.resolution.number


class GoodsLineIn(Schema):
    kind: GoodsName
    declared_value: int = Field(0, ge=0, description="trị giá khai báo hải quan, đồng")
    tonnes: Decimal | None = Field(None, ge=0)
    m3: Decimal | None = Field(None, ge=0)


class QuoteIn(Schema):
    tariff: str = Field("", description="mã biểu phí; để trống: biểu phí của khu đang áp dụng", max_length=32)
    on: datetime.date | None = Field(None, description="ngày tính phí; mặc định hôm nay")
    flow: FlowName
    goods: GoodsName | None = None
    goods_lines: list[GoodsLineIn] = Field(
        default_factory=list, max_length=50, description="hàng ghép: mỗi loại hàng với trị giá khai báo"
    )
    tonnes: Decimal | None = Field(None, ge=0, le=100000)
    m3: Decimal | None = Field(None, ge=0, le=100000)
    container: Literal[20, 40] | None = None
    containers: int = Field(1, ge=1, le=4)
    vehicle_tonnes: Decimal | None = Field(None, ge=0, le=1000)
    origin: Literal["vn", "foreign"] = "vn"
    taxable: bool = False
    delivered_inland: bool = False
    transship_only: bool = False


class MultiplierOut(Schema):
    key: str
    label: str
    percent: int


class PartOut(Schema):
    goods_kind: str
    rule_id: int | None
    rule_key: str
    rule_label: str
    basis: str
    quantity: Decimal
    unit_price: int
    base_amount: int
    multipliers: list[MultiplierOut]
    amount: int
    exempt: bool
    is_demo: bool


class QuoteOut(Schema):
    amount: int
    amount_text: str
    tariff_code: str
    tariff_version: int
    tariff_id: int
    vehicle_class: str | None
    cap: int | None
    cap_applied: bool
    is_demo: bool
    parts: list[PartOut]
    explanation: list[str]


class ErrorOut(Schema):
    detail: str
    errors: list[dict]


@router.get("/tariffs", response=list[TariffOut], summary="Biểu phí (mọi phiên bản)")
def list_tariffs(request, code: str = "", status: str = ""):
    tariffs = Tariff.objects.for_user(request.user).select_related("resolution").order_by("code", "-version")
    if code:
        tariffs = tariffs.filter(code=code)
    if status:
        tariffs = tariffs.filter(status=status)
    return tariffs


@router.post(
    "/quote", response={200: QuoteOut, 422: ErrorOut}, auth=None, summary="Tính phí một lượt xe (công khai)"
)
def quote(request, payload: QuoteIn):
    charge = simple_charge(
        flow=payload.flow,
        goods=payload.goods,
        tonnes=payload.tonnes,
        m3=payload.m3,
        container=payload.container,
        containers=payload.containers,
        vehicle_tonnes=payload.vehicle_tonnes,
        origin=payload.origin,
        taxable=payload.taxable,
        delivered_inland=payload.delivered_inland,
        transship_only=payload.transship_only,
        tariff_code=payload.tariff,
        on=payload.on,
        goods_lines=tuple(
            GoodsLine(kind=g.kind, declared_value=g.declared_value, tonnes=g.tonnes, m3=g.m3)
            for g in payload.goods_lines
        ),
    )
    try:
        assessment, tariff = selectors.fee_quote(charge)
    except ServiceError as exc:
        return Status(422, {"detail": _("Không tính được phí."), "errors": errors_as_list(exc)})
    return Status(
        200,
        {
            "amount": assessment.amount,
            "amount_text": format_vnd(assessment.amount),
            "tariff_code": assessment.tariff_code,
            "tariff_version": assessment.tariff_version,
            "tariff_id": tariff.pk,
            "vehicle_class": assessment.vehicle_class,
            "cap": assessment.cap,
            "cap_applied": assessment.cap_applied,
            "is_demo": assessment.is_demo,
            "parts": assessment.parts,
            "explanation": explain(assessment),
        },
    )

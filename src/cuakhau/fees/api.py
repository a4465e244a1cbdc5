import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cuakhau.core.api_params import Limit, Offset, page
from cuakhau.core.api_types import ReadDecimal, ReadInt
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
    declared_value: ReadInt = Field(0, ge=0, description="trị giá khai báo hải quan, đồng")
    tonnes: ReadDecimal | None = Field(None, ge=0)
    m3: ReadDecimal | None = Field(None, ge=0)


class QuoteIn(Schema):
    tariff: str = Field("", description="mã biểu phí; để trống: biểu phí của khu đang áp dụng", max_length=32)
    on: datetime.date | None = Field(None, description="ngày tính phí; mặc định hôm nay")
    flow: FlowName
    goods: GoodsName | None = None
    goods_lines: list[GoodsLineIn] = Field(
        default_factory=list, max_length=50, description="hàng ghép: mỗi loại hàng với trị giá khai báo"
    )
    tonnes: ReadDecimal | None = Field(None, ge=0, le=100000)
    m3: ReadDecimal | None = Field(None, ge=0, le=100000)
    container: Literal[20, 40] | None = None
    containers: int = Field(1, ge=1, le=4)
    vehicle_tonnes: ReadDecimal | None = Field(None, ge=0, le=1000)
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
    errors: list[dict[str, str]] = []


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


# --- assessments, receipts, revenue ---------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    payment_reference: str
    source: str
    source_id: str
    gate: str
    payer_unit_id: int | None
    charged_on: datetime.date
    tariff_code: str
    tariff_version: int
    flow: str
    rule_key: str
    amount: int
    status: str
    explanation: dict
    provisional: bool = Field(
        False, description="tạm tính: dùng giá trị minh họa chưa được Ban xác nhận, chưa lập được biên lai"
    )
    unconfirmed_rules: list[str] = Field(default_factory=list, description="mã các quy tắc chờ xác nhận")

    @staticmethod
    def resolve_gate(obj):
        return obj.gate.code

    @staticmethod
    def resolve_unconfirmed_rules(obj):
        return getattr(obj, "unconfirmed_rule_keys", [])

    @staticmethod
    def resolve_provisional(obj):
        return bool(getattr(obj, "unconfirmed_rule_keys", []))


def _with_provisional(assessments):
    """The assessments with their unconfirmed rules read (one query for them all)."""
    from .confirmations import unconfirmed_keys_of

    rows = list(assessments)
    keys = unconfirmed_keys_of(rows)
    for a in rows:
        a.unconfirmed_rule_keys = keys.get(a.pk, []) if a.status == "due" else []
    return rows


class RuleConfirmIn(Schema):
    citation: str = Field(..., max_length=255, description="điều, khoản, mục hoặc dòng của nghị quyết")
    note: str = Field("", max_length=2000)


class RuleConfirmationOut(Schema):
    id: int
    rule_id: int
    rule_key: str
    tariff_id: int
    citation: str
    note: str
    confirmed_by: str
    confirmed_at: datetime.datetime

    @staticmethod
    def resolve_rule_key(obj):
        return obj.rule.key

    @staticmethod
    def resolve_tariff_id(obj):
        return obj.rule.tariff_id

    @staticmethod
    def resolve_confirmed_by(obj):
        return obj.confirmed_by.username


class ReceiptOut(Schema):
    id: int
    form_symbol: str
    symbol: str
    number: int
    issued_on: datetime.date
    amount: int
    amount_words: str
    payer_name: str
    payer_tax_code: str
    collector_name: str
    collector_tax_code: str
    method: str
    status: str
    replaces_id: int | None
    assessment_id: int


class RevenueRowOut(Schema):
    key: str | None
    count: int
    total: int
    kept: int
    budget: int
    previous: int | None
    growth: float | None


class RevenueOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    group: str
    total: int
    kept: int
    budget: int
    previous: int
    growth: float | None
    rows: list[RevenueRowOut]


@router.get("/assessments", response=list[AssessmentOut], summary="Khoản phí (theo phạm vi người dùng)")
def list_assessments(request, status: str = "", gate: str = "", limit: Limit = 100, offset: Offset = 0):
    rows = selectors.assessment_list(user=request.user, status=status, gate=gate)
    return _with_provisional(page(rows, limit=limit, offset=offset))


@router.get("/assessments/{pk}", response=AssessmentOut, summary="Một khoản phí")
def get_assessment(request, pk: int):
    from cuakhau.core.permissions import get_for_user_or_404

    from .models import FeeAssessment

    return _with_provisional(
        [get_for_user_or_404(FeeAssessment.objects.select_related("gate"), request.user, pk=pk)]
    )[0]


@router.post(
    "/rules/{int:rule_id}/confirm",
    response={201: RuleConfirmationOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Xác nhận một quy tắc giá trị minh họa theo nghị quyết (cán bộ của Ban)",
)
def confirm_rule(request, rule_id: int, payload: RuleConfirmIn):
    from cuakhau.core.errors import NotFound

    from .models import TariffRule
    from .services import rule_confirm

    rule = TariffRule.objects.for_user(request.user).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("Không tìm thấy quy tắc thu phí."), field="rule")
    confirmation = rule_confirm(actor=request.user, rule=rule, citation=payload.citation, note=payload.note)
    return Status(201, confirmation)


@router.get("/receipts", response=list[ReceiptOut], summary="Biên lai (theo phạm vi người dùng)")
def list_receipts(request, day: datetime.date | None = None, limit: Limit = 100, offset: Offset = 0):
    rows = selectors.receipt_list(user=request.user, day=day)
    return page(rows, limit=limit, offset=offset)


@router.get("/receipts/{pk}", response=ReceiptOut, summary="Một biên lai")
def get_receipt(request, pk: int):
    from cuakhau.core.permissions import get_for_user_or_404

    from .models import Receipt

    return get_for_user_or_404(Receipt, request.user, pk=pk)


@router.get(
    "/revenue", response={200: RevenueOut, 422: ErrorOut}, summary="Số thu phí, tỷ lệ 10%/90%, tăng trưởng"
)
def get_revenue(
    request,
    date_from: datetime.date,
    date_to: datetime.date,
    group: Literal["day", "month", "year", "gate", "flow", "rule"] = "day",
):
    rows, summary = selectors.revenue(user=request.user, date_from=date_from, date_to=date_to, group=group)
    return Status(
        200,
        {
            "date_from": date_from,
            "date_to": date_to,
            "group": group,
            **summary,
            "rows": [r | {"key": None if r["key"] is None else str(r["key"])} for r in rows],
        },
    )

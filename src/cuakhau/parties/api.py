"""/api/v1/parties: enterprises, vehicles, drivers. Lists and details are scoped to the caller (an
object outside the scope is 404); drivers' document numbers are masked, and the full number is a
separate, audited POST .../reveal-id."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cuakhau.core.api_types import ReadDecimal
from cuakhau.core.errors import ServiceError, errors_as_list
from cuakhau.core.permissions import may_add

from . import permissions, selectors, services
from .models import Driver, Enterprise, IdKind, Vehicle, VehicleKind

router = Router(tags=["parties"])

MAX_LIST = 500


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


def _refused(request, exc: ServiceError):
    status = exc.status if exc.status != 400 else 422
    return Status(
        status,
        {
            "detail": _("Dữ liệu không hợp lệ.") if status == 422 else exc.messages[0],
            "errors": errors_as_list(exc),
        },
    )


def _forbidden(message: str):
    return Status(403, {"detail": message, "errors": []})


def _enterprise_in_scope(request, tax_code: str | None, field: str) -> Enterprise | None:
    """The enterprise the caller may name as owner or employer, or a 422 naming the field."""
    if not tax_code:
        if not permissions.may_name_no_owner(request.user):
            raise ServiceError(_("Cần ghi mã số thuế của doanh nghiệp."), field=field)
        return None
    normalised = services.normalise_tax_code(tax_code, field=field)
    enterprise = permissions.owner_choices(request.user).filter(tax_code=normalised).first()
    if enterprise is None:
        raise ServiceError(
            _("Không có doanh nghiệp mã số thuế %(code)s trong phạm vi của bạn.") % {"code": normalised},
            field=field,
        )
    return enterprise


# --- enterprises -----------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    tax_code: str
    name: str
    name_en: str
    name_zh: str
    address: str
    phone: str
    email: str
    is_customs_agent: bool
    is_active: bool
    unit: str

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code


class EnterpriseIn(Schema):
    tax_code: str = Field(
        ..., min_length=1, max_length=20, description="10 chữ số, hoặc 10 chữ số-3 chữ số (chi nhánh)"
    )
    name: str = Field(..., min_length=1, max_length=255)
    name_en: str = Field("", max_length=255)
    name_zh: str = Field("", max_length=255)
    address: str = Field("", max_length=500)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    is_customs_agent: bool = False


class EnterpriseFilter(Schema):
    q: str = ""
    customs_agent: bool | None = None


@router.get("/enterprises", response=list[EnterpriseOut], summary="Danh sách doanh nghiệp")
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    agent = "" if filters.customs_agent is None else ("1" if filters.customs_agent else "0")
    return selectors.enterprise_list(user=request.user, q=filters.q, customs_agent=agent)[:MAX_LIST]


@router.get("/enterprises/{tax_code}", response=EnterpriseOut, summary="Một doanh nghiệp")
def get_enterprise(request, tax_code: str):
    return selectors.enterprise_detail(user=request.user, tax_code=tax_code)


@router.post(
    "/enterprises",
    response={201: EnterpriseOut, 403: ErrorOut, 422: ErrorOut},
    summary="Đăng ký doanh nghiệp",
)
def create_enterprise(request, payload: EnterpriseIn):
    try:
        return Status(201, services.enterprise_register(actor=request.user, **payload.dict()))
    except ServiceError as exc:
        return _refused(request, exc)


# --- vehicles ------------------------------------------------------------------------------------


class VehicleOut(Schema):
    id: int
    plate: str
    plate_key: str
    country: str
    kind: str
    tonnage: Decimal | None
    owner: str | None = Field(None, description="mã số thuế của doanh nghiệp")
    is_trailer: bool
    is_active: bool

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.tax_code if obj.owner_id else None


class VehicleIn(Schema):
    plate: str = Field(..., min_length=1, max_length=30, examples=["12C-123.45", "12R-001.23", "桂F·12345"])
    kind: VehicleKind
    tonnage: ReadDecimal | None = Field(None, ge=0, le=services.MAX_TONNAGE, max_digits=6, decimal_places=2)
    owner: str | None = Field(None, max_length=20, description="mã số thuế của doanh nghiệp sở hữu/khai thác")


class VehicleFilter(Schema):
    q: str = ""
    plate: str = Field("", description="biển số ở bất kỳ dạng nào; so khớp theo biển chuẩn hóa")
    country: Literal["VN", "CN", ""] = ""
    kind: VehicleKind | Literal[""] = ""


@router.get("/vehicles", response=list[VehicleOut], summary="Danh sách phương tiện")
def list_vehicles(request, filters: Query[VehicleFilter]):
    if filters.plate:
        vehicle = selectors.vehicle_by_plate(user=request.user, plate=filters.plate)
        return [vehicle] if vehicle else []
    return selectors.vehicle_list(user=request.user, q=filters.q, country=filters.country, kind=filters.kind)[
        :MAX_LIST
    ]


@router.get("/vehicles/{int:vehicle_id}", response=VehicleOut, summary="Một phương tiện")
def get_vehicle(request, vehicle_id: int):
    return selectors.vehicle_detail(user=request.user, pk=vehicle_id)


@router.post(
    "/vehicles", response={201: VehicleOut, 403: ErrorOut, 422: ErrorOut}, summary="Đăng ký phương tiện"
)
def create_vehicle(request, payload: VehicleIn):
    if not may_add(request.user, Vehicle):  # before the owner is looked up: a 403, not a 422
        return _forbidden(_("Vai trò của bạn không được đăng ký phương tiện."))
    try:
        owner = _enterprise_in_scope(request, payload.owner, "owner")
        return Status(
            201,
            services.vehicle_register(
                actor=request.user,
                plate=payload.plate,
                kind=payload.kind,
                tonnage=payload.tonnage,
                owner=owner,
            ),
        )
    except ServiceError as exc:
        return _refused(request, exc)


# --- drivers ---------------------------------------------------------------------------------------


class DriverOut(Schema):
    id: int
    full_name: str
    id_kind: str
    id_number_masked: str
    nationality: str
    phone: str
    employer: str | None = Field(None, description="mã số thuế của doanh nghiệp sử dụng")
    is_active: bool

    @staticmethod
    def resolve_id_number_masked(obj):
        return obj.masked_id

    @staticmethod
    def resolve_employer(obj):
        return obj.employer.tax_code if obj.employer_id else None


class DriverIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=150)
    id_kind: IdKind
    id_number: str = Field(..., min_length=1, max_length=30)
    nationality: str = Field("", max_length=2, description="mã ISO 3166-1 alpha-2; VN cho căn cước Việt Nam")
    phone: str = Field("", max_length=20)
    employer: str | None = Field(None, max_length=20, description="mã số thuế của doanh nghiệp sử dụng")


class DriverIdOut(Schema):
    id: int
    id_kind: str
    id_number: str
    viewed_at: datetime.datetime


class DriverFilter(Schema):
    q: str = ""
    nationality: str = ""


@router.get("/drivers", response=list[DriverOut], summary="Danh sách lái xe (số giấy tờ che một phần)")
def list_drivers(request, filters: Query[DriverFilter]):
    return selectors.driver_list(user=request.user, q=filters.q, nationality=filters.nationality)[:MAX_LIST]


@router.get("/drivers/{int:driver_id}", response=DriverOut, summary="Một lái xe (số giấy tờ che một phần)")
def get_driver(request, driver_id: int):
    return selectors.driver_detail(user=request.user, pk=driver_id)


@router.post("/drivers", response={201: DriverOut, 403: ErrorOut, 422: ErrorOut}, summary="Đăng ký lái xe")
def create_driver(request, payload: DriverIn):
    if not may_add(request.user, Driver):
        return _forbidden(_("Vai trò của bạn không được đăng ký lái xe."))
    try:
        employer = _enterprise_in_scope(request, payload.employer, "employer")
        data = payload.dict(exclude={"employer"})
        return Status(201, services.driver_register(actor=request.user, **data, employer=employer))
    except ServiceError as exc:
        return _refused(request, exc)


@router.post(
    "/drivers/{int:driver_id}/reveal-id",
    response={200: DriverIdOut, 403: ErrorOut},
    summary="Xem đầy đủ số giấy tờ của lái xe (ghi nhật ký)",
)
def reveal_driver_id(request, driver_id: int, response: HttpResponse):
    driver = selectors.driver_detail(user=request.user, pk=driver_id)
    try:
        number = services.driver_reveal_id(actor=request.user, driver=driver)
    except ServiceError as exc:
        if exc.status == 403:
            return _forbidden(exc.messages[0])
        raise Http404 from exc
    response["Cache-Control"] = "no-store"
    return Status(
        200, {"id": driver.pk, "id_kind": driver.id_kind, "id_number": number, "viewed_at": timezone.now()}
    )

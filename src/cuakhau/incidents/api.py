"""/api/v1/incidents: list, detail, statistics, recording by staff and each lifecycle step. Scoped to
the caller (out of scope is 404); a step the state does not allow is 409, a step the role may not
take 403, bad input 422 naming the field. Reporters' contact details are not in the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from cuakhau.core import policy
from cuakhau.core.api_params import Month, Year
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.gates.models import Gate

from . import selectors, services

router = Router(tags=["incidents"])

MAX_LIST = 500


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class IncidentEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: datetime.datetime
    actor: str | None = None
    note: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.username if obj.actor_id else None


class IncidentOut(Schema):
    id: int
    tracking_code: str
    source: str
    kind: str
    severity: str
    status: str
    description: str
    gate: str = Field(..., description="mã cửa khẩu")
    yard: str | None = None
    place: str
    latitude: Decimal | None
    longitude: Decimal | None
    occurred_at: datetime.datetime | None
    reported_at: datetime.datetime
    gate_confirmed: bool
    force_kind: str
    force_unit: str | None = Field(None, description="mã đơn vị xử lý")
    handed_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    resolution: str
    public_note: str
    reject_reason: str
    photos: int

    @staticmethod
    def resolve_gate(obj):
        return obj.gate.code

    @staticmethod
    def resolve_yard(obj):
        return obj.yard.code if obj.yard_id else None

    @staticmethod
    def resolve_force_unit(obj):
        return obj.force_unit.code if obj.force_unit_id else None

    @staticmethod
    def resolve_photos(obj):
        return obj.photos.count()


class IncidentDetailOut(IncidentOut):
    events: list[IncidentEventOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.select_related("actor"))


class IncidentFilter(Schema):
    status: str = ""
    kind: str = ""
    gate: str = ""
    q: str = ""


class IncidentIn(Schema):
    gate: str = Field(..., description="mã cửa khẩu, ví dụ HUUNGHI")
    kind: str
    description: str = Field(..., max_length=5000)
    severity: str = ""
    yard: str = ""
    place: str = Field("", max_length=255)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    occurred_at: datetime.datetime | None = None


class TriageIn(Schema):
    kind: str
    severity: str
    gate: str
    yard: str = ""
    note: str = ""


class HandIn(Schema):
    force_kind: str
    force_unit: str = Field("", description="mã đơn vị; bỏ trống để tự chọn khi chỉ có một")
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class ResolveIn(Schema):
    resolution: str
    public_note: str = ""


class CloseIn(Schema):
    note: str = ""
    public_note: str | None = None


class RejectIn(Schema):
    reason: str
    duplicate_of: str = Field("", description="mã tra cứu của vụ việc bị trùng")
    note: str = ""
    public_note: str = ""


class StatsRowOut(Schema):
    gate: str
    gate_name: str
    counts: dict[str, int]
    total: int
    rejected: int


class StatsOut(Schema):
    year: int
    month: int
    rows: list[StatsRowOut]
    totals: dict[str, int]
    total: int
    rejected: int


def _gate(code: str, field: str = "gate") -> Gate:
    gate = Gate.objects.filter(code=code).first()
    if gate is None:
        raise ServiceError(_("Không có cửa khẩu mã %(code)s.") % {"code": code}, field=field)
    return gate


def _yard(code: str):
    if not code:
        return None
    from cuakhau.traffic.models import Yard

    yard = Yard.objects.filter(code=code).first()
    if yard is None:
        raise ServiceError(_("Không có bãi mã %(code)s.") % {"code": code}, field="yard")
    return yard


@router.get("", response=list[IncidentOut], summary="Danh sách vụ việc")
def list_incidents(request, filters: Query[IncidentFilter]):
    if not policy.may(request.user, "incidents.list"):
        raise Http404  # as the page: roles with no incident in their remit are told nothing
    gate = Gate.objects.filter(code=filters.gate).first() if filters.gate else None
    if filters.gate and gate is None:
        return []
    rows = selectors.incident_list(
        user=request.user,
        status="" if filters.status == "open" else filters.status,
        open_only=filters.status == "open",
        kind=filters.kind,
        gate=gate,
        q=filters.q,
    )
    return rows.prefetch_related("photos")[:MAX_LIST]


@router.get("/stats", response=StatsOut, summary="Thống kê vụ việc theo tháng, cửa khẩu và loại")
def incident_stats(request, year: Year | None = None, month: Month | None = None):
    today = timezone.localdate()
    year = year or today.year
    month = month or today.month
    stats = selectors.monthly_stats(user=request.user, year=year, month=month)
    keys = [k for k, _label in stats.kinds]
    return {
        "year": year,
        "month": month,
        "rows": [
            {
                "gate": row.gate.code,
                "gate_name": row.gate.name,
                "counts": dict(zip(keys, row.counts, strict=True)),
                "total": row.total,
                "rejected": row.rejected,
            }
            for row in stats.rows
        ],
        "totals": dict(zip(keys, stats.totals, strict=True)),
        "total": stats.total,
        "rejected": stats.rejected,
    }


@router.get("/{int:incident_id}", response=IncidentDetailOut, summary="Một vụ việc và các bước xử lý")
def get_incident(request, incident_id: int):
    return selectors.incident_detail(user=request.user, pk=incident_id)


@router.post(
    "", response={201: IncidentOut, 403: ErrorOut, 422: ErrorOut}, summary="Ghi nhận vụ việc (cán bộ)"
)
def create_incident(request, payload: IncidentIn):
    if not policy.may(request.user, "incidents.record"):
        return HttpStatus(403, {"detail": _("Vai trò của bạn không ghi nhận được vụ việc."), "errors": []})
    data = payload.dict()
    data["gate"] = _gate(data["gate"])
    data["yard"] = _yard(data.pop("yard"))
    return HttpStatus(201, services.incident_record(actor=request.user, **data))


def _step(request, incident_id: int, action: str, **data):
    incident = selectors.incident_detail(user=request.user, pk=incident_id)
    fn = getattr(services, f"incident_{action}")
    return fn(actor=request.user, incident=incident, **data)


STEP_RESPONSES = {200: IncidentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/{int:incident_id}/triage", response=STEP_RESPONSES, summary="Phân loại")
def triage(request, incident_id: int, payload: TriageIn):
    data = payload.dict()
    data["gate"] = _gate(data["gate"])
    data["yard"] = _yard(data.pop("yard"))
    return _step(request, incident_id, "triage", **data)


@router.post("/{int:incident_id}/hand", response=STEP_RESPONSES, summary="Chuyển lực lượng chức năng")
def hand(request, incident_id: int, payload: HandIn):
    data = payload.dict()
    code = data.pop("force_unit")
    unit = None
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ServiceError(_("Không có đơn vị mã %(code)s.") % {"code": code}, field="force_unit")
    return _step(request, incident_id, "hand", force_unit=unit, **data)


@router.post("/{int:incident_id}/start", response=STEP_RESPONSES, summary="Bắt đầu xử lý")
def start(request, incident_id: int, payload: NoteIn):
    return _step(request, incident_id, "start", **payload.dict())


@router.post("/{int:incident_id}/resolve", response=STEP_RESPONSES, summary="Ghi kết quả xử lý")
def resolve(request, incident_id: int, payload: ResolveIn):
    return _step(request, incident_id, "resolve", **payload.dict())


@router.post("/{int:incident_id}/reopen", response=STEP_RESPONSES, summary="Mở lại")
def reopen(request, incident_id: int, payload: NoteIn):
    return _step(request, incident_id, "reopen", **payload.dict())


@router.post("/{int:incident_id}/close", response=STEP_RESPONSES, summary="Đóng vụ việc")
def close(request, incident_id: int, payload: CloseIn):
    return _step(request, incident_id, "close", **payload.dict())


@router.post("/{int:incident_id}/reject", response=STEP_RESPONSES, summary="Không thụ lý")
def reject(request, incident_id: int, payload: RejectIn):
    data = payload.dict()
    duplicate = selectors.duplicate_in_scope(request.user, data.pop("duplicate_of"))
    return _step(request, incident_id, "reject", duplicate_of=duplicate, **data)

"""/api/v1/cooperation: counterparts, meetings, agreements with their commitments, tracked actions
and the cooperation zone's milestones. Scoped to the caller: the Board manages, inspectors and
provincial leaders read, other units see the actions they own (and report on them); out of scope is
404."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.core.permissions import CHANGE

from . import permissions, selectors, services
from .models import Counterpart

router = Router(tags=["cooperation"])


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class CounterpartOut(Schema):
    code: str
    name_vi: str
    name_zh: str
    kind: str
    region: str
    is_active: bool


class MeetingOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    place: str
    counterparts: list[str]
    participants_vn: str
    participants_cn: str
    minutes_vi: str
    minutes_zh: str

    @staticmethod
    def resolve_counterparts(obj):
        return [c.code for c in obj.counterparts.all()]


class MeetingIn(Schema):
    title: str = Field(..., max_length=255)
    held_on: datetime.date
    place: str = Field(..., max_length=255)
    counterparts: list[str] = Field(..., description="mã đối tác")
    participants_vn: str
    participants_cn: str
    minutes_vi: str = ""
    minutes_zh: str = ""


class CommitmentOut(Schema):
    id: int
    agreement_id: int
    agreement: str
    text_vi: str
    text_zh: str
    owner_unit: str
    due_on: datetime.date | None
    status: str
    done_on: datetime.date | None
    is_overdue: bool

    @staticmethod
    def resolve_agreement(obj):
        return obj.agreement.title_vi

    @staticmethod
    def resolve_owner_unit(obj):
        return obj.owner_unit.code


class AgreementOut(Schema):
    id: int
    kind: str
    number: str
    title_vi: str
    title_zh: str
    signed_on: datetime.date
    signed_place: str
    parties_vn: str
    counterparts: list[str]
    meeting_id: int | None
    valid_until: datetime.date | None
    text_vi: str
    text_zh: str
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_counterparts(obj):
        return [c.code for c in obj.counterparts.all()]

    @staticmethod
    def resolve_commitments(obj):
        return list(obj.commitments.select_related("owner_unit", "agreement"))


class AgreementIn(Schema):
    kind: str
    number: str = ""
    title_vi: str = Field(..., max_length=255)
    title_zh: str = Field("", max_length=255)
    signed_on: datetime.date
    signed_place: str = ""
    parties_vn: str = Field(..., max_length=500)
    counterparts: list[str]
    meeting_id: int | None = None
    valid_until: datetime.date | None = None
    text_vi: str = ""
    text_zh: str = ""


class CommitmentIn(Schema):
    text_vi: str
    text_zh: str = ""
    owner_unit: str = Field(..., description="mã đơn vị chủ trì")
    due_on: datetime.date | None = None


class ReportIn(Schema):
    status: str
    note: str


class MilestoneOut(Schema):
    id: int
    on: datetime.date
    title_vi: str
    title_zh: str
    description: str
    status: str
    source: str


class ActionFilter(Schema):
    status: str = ""
    overdue: bool = False


def _counterparts(codes: list[str]) -> list[Counterpart]:
    found = list(Counterpart.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {c.code for c in found})
    if missing:
        raise ServiceError(
            _("Không có đối tác mã %(codes)s.") % {"codes": ", ".join(missing)}, field="counterparts"
        )
    return found


def _reader(request) -> None:
    if not permissions.may_read_board(request.user):
        raise Http404


@router.get("/counterparts", response=list[CounterpartOut], summary="Đối tác phía Trung Quốc")
def list_counterparts(request):
    _reader(request)
    return selectors.counterpart_list(user=request.user)


@router.get("/meetings", response=list[MeetingOut], summary="Hội đàm, làm việc")
def list_meetings(request, q: str = ""):
    _reader(request)
    return selectors.meeting_list(user=request.user, q=q)


@router.get("/meetings/{int:meeting_id}", response=MeetingOut, summary="Một cuộc hội đàm")
def get_meeting(request, meeting_id: int):
    return selectors.meeting_detail(user=request.user, pk=meeting_id)


@router.post(
    "/meetings", response={201: MeetingOut, 403: ErrorOut, 422: ErrorOut}, summary="Ghi cuộc hội đàm"
)
def create_meeting(request, payload: MeetingIn):
    data = payload.dict()
    data["counterparts"] = _counterparts(data["counterparts"])
    return Status(201, services.meeting_record(actor=request.user, **data))


@router.get("/agreements", response=list[AgreementOut], summary="Thỏa thuận, bản ghi nhớ")
def list_agreements(request):
    _reader(request)
    return selectors.agreement_list(user=request.user)


@router.get("/agreements/{int:agreement_id}", response=AgreementOut, summary="Một văn bản và các cam kết")
def get_agreement(request, agreement_id: int):
    return selectors.agreement_detail(user=request.user, pk=agreement_id)


@router.post(
    "/agreements", response={201: AgreementOut, 403: ErrorOut, 422: ErrorOut}, summary="Ghi thỏa thuận"
)
def create_agreement(request, payload: AgreementIn):
    data = payload.dict()
    data["counterparts"] = _counterparts(data["counterparts"])
    meeting_id = data.pop("meeting_id")
    data["meeting"] = selectors.meeting_detail(user=request.user, pk=meeting_id) if meeting_id else None
    return Status(201, services.agreement_record(actor=request.user, **data))


@router.post(
    "/agreements/{int:agreement_id}/commitments",
    response={201: CommitmentOut, 404: ErrorOut, 422: ErrorOut},
    summary="Thêm cam kết để theo dõi",
)
def add_commitment(request, agreement_id: int, payload: CommitmentIn):
    agreement = selectors.agreement_detail(user=request.user, pk=agreement_id, action=CHANGE)
    data = payload.dict()
    unit = Unit.objects.filter(code=data.pop("owner_unit")).first()
    return Status(
        201, services.commitment_add(actor=request.user, agreement=agreement, owner_unit=unit, **data)
    )


@router.get("/actions", response=list[CommitmentOut], summary="Cam kết đang theo dõi (trong phạm vi)")
def list_actions(request, filters: Query[ActionFilter]):
    return selectors.action_list(user=request.user, status=filters.status, overdue=filters.overdue)


@router.get("/actions/{int:action_id}", response=CommitmentOut, summary="Một cam kết")
def get_action(request, action_id: int):
    return selectors.action_detail(user=request.user, pk=action_id)


@router.post(
    "/actions/{int:action_id}/report",
    response={200: CommitmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Báo cáo tiến độ",
)
def report_action(request, action_id: int, payload: ReportIn):
    action = selectors.action_detail(user=request.user, pk=action_id, action=CHANGE)
    return services.commitment_report(actor=request.user, commitment=action, **payload.dict())


@router.get("/milestones", response=list[MilestoneOut], summary="Mốc khu hợp tác kinh tế qua biên giới")
def list_milestones(request):
    _reader(request)
    return selectors.milestone_list(user=request.user)

"""/api/v1/procedures: the public catalogue and lookup (no login), dossiers in the caller's scope (out of
scope is 404), online submission by a business, each step of the workflow, and the figures. A step the
state does not allow is 409, one the role may not take 403, bad input 422 naming the field."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from cuakhau.core import policy, throttle
from cuakhau.core.api_types import ReadDecimal, ReadInt
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.parties.models import Enterprise

from . import permissions, selectors, services
from .models import Procedure
from .rules import normalise_id

router = Router(tags=["procedures"])
MAX_LIST = 500


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class VersionOut(Schema):
    code: str
    number: int
    name: str
    field: str
    legal_basis: str
    deadline: Decimal
    deadline_unit: str
    deadline_note: str
    fee: int
    fee_note: str
    documents: list[dict]
    steps: list[dict]
    result_document: str
    handling_unit: str
    to_be_confirmed: bool
    valid_from: dt.datetime


def _version_out(v) -> dict:
    return {
        "code": v.procedure.code,
        "number": v.number,
        "name": v.name,
        "field": v.procedure.field,
        "legal_basis": v.legal_basis,
        "deadline": v.deadline,
        "deadline_unit": v.deadline_unit,
        "deadline_note": v.deadline_note,
        "fee": v.fee,
        "fee_note": v.fee_note,
        "documents": v.documents,
        "steps": v.steps,
        "result_document": v.result_document,
        "handling_unit": v.handling_unit.code,
        "to_be_confirmed": v.to_be_confirmed,
        "valid_from": v.valid_from,
    }


class DossierEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    step_name: str
    from_unit: str | None = None
    to_unit: str | None = None
    step_due_at: dt.datetime | None
    timing: str
    public_note: str
    internal_note: str
    actor: str | None = None

    @staticmethod
    def resolve_from_unit(obj):
        return obj.from_unit.code if obj.from_unit_id else None

    @staticmethod
    def resolve_to_unit(obj):
        return obj.to_unit.code if obj.to_unit_id else None

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.username if obj.actor_id else None


class DossierOut(Schema):
    id: int
    code: str
    procedure: str
    version: int
    channel: str
    status: str
    applicant_name: str
    applicant_id_masked: str = Field(
        ..., description="che một phần; số đầy đủ: POST .../reveal-id (ghi nhật ký)"
    )
    lookup_key: str = Field(..., description="mã tra cứu công khai, in trên mẫu 01 cạnh mã hồ sơ")
    enterprise: str | None = Field(None, description="mã số thuế")
    subject: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    clock_start: dt.datetime | None
    due_at: dt.datetime | None
    appointment_at: dt.datetime | None
    paused_remaining: Decimal | None
    handling_unit: str
    step_index: int
    fee_amount: int
    processed_at: dt.datetime | None
    returned_at: dt.datetime | None
    finished_timing: str
    result_summary: str
    reappointed: bool

    @staticmethod
    def resolve_procedure(obj):
        return obj.version.procedure.code

    @staticmethod
    def resolve_version(obj):
        return obj.version.number

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.tax_code if obj.enterprise_id else None

    @staticmethod
    def resolve_applicant_id_masked(obj):
        return obj.masked_applicant_id

    @staticmethod
    def resolve_handling_unit(obj):
        return obj.handling_unit.code


class DossierDetailOut(DossierOut):
    events: list[DossierEventOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.select_related("actor", "from_unit", "to_unit"))


class PublicStepOut(Schema):
    at: dt.datetime
    status: str
    status_label: str
    note: str


class PublicDossierOut(Schema):
    code: str
    procedure: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    appointment_at: dt.datetime | None
    returned_at: dt.datetime | None
    history: list[PublicStepOut]


class FileIn(Schema):
    name: str = Field(..., max_length=150)
    content_base64: str
    document: str = ""


class SubmitIn(Schema):
    procedure: str = Field(..., description="mã thủ tục, ví dụ ld-cap-gpld")
    subject: str = Field(..., max_length=500)
    files: list[FileIn]
    applicant_name: str = ""
    applicant_email: str = ""
    applicant_phone: str = ""


class DeskIn(Schema):
    procedure: str = Field(..., description="mã thủ tục, ví dụ ld-cap-gpld")
    subject: str = Field(..., max_length=500)
    applicant_name: str = Field(..., max_length=200)
    applicant_id: str = Field(..., max_length=20, description="mã số thuế hoặc số CCCD/hộ chiếu")
    applicant_email: str = ""
    applicant_phone: str = ""
    address: str = ""
    note: str = ""
    files: list[FileIn] = []


class VersionIn(Schema):
    valid_from: dt.datetime
    deadline: ReadDecimal | None = None
    deadline_unit: str | None = Field(None, description="working_days, days hoặc working_hours")
    fee: ReadInt | None = None
    fee_note: str | None = None
    legal_basis: str | None = None
    to_be_confirmed: bool | None = None


class NoteIn(Schema):
    note: str = ""


class DossierReasonIn(Schema):
    reason: str


class HandoffIn(Schema):
    internal_note: str = ""
    assignee: str = Field("", description="tên đăng nhập của cán bộ bước sau")


class SupplementRequestIn(Schema):
    items: str
    internal_note: str = ""


class SupplementIn(Schema):
    files: list[FileIn]
    note: str = ""


class FeeIn(Schema):
    amount: ReadInt | None = None


class PayIn(Schema):
    online: bool = False


class ProcessIn(Schema):
    result_summary: str
    internal_note: str = ""
    files: list[FileIn] = []


class ApologyIn(Schema):
    reason: str
    new_due_at: dt.datetime


class FigureRowOut(Schema):
    key: str
    label: str
    received: int
    online: int
    processed: int
    early: int
    on_time: int
    late: int
    open: int
    overdue: int
    on_time_rate: Decimal | None
    online_share: Decimal | None


class MeasureOut(Schema):
    key: str
    label: str
    value: Decimal | None
    numerator: int
    denominator: int
    how: str


class FiguresOut(Schema):
    start: dt.date
    end: dt.date
    by: str
    rows: list[FigureRowOut]
    total: FigureRowOut
    measures: list[MeasureOut]


def _files(items: list[FileIn]) -> list[ContentFile]:
    files = []
    for item in items:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ServiceError(
                _("Tệp %(name)s: nội dung base64 không hợp lệ.") % {"name": item.name}, field="files"
            ) from exc
        upload = ContentFile(content, name=item.name)
        upload.document = item.document
        files.append(upload)
    return files


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.published().filter(code=code).first()
    if procedure is None:
        raise ServiceError(_("Không có thủ tục mã %(code)s.") % {"code": code}, field="procedure")
    return procedure


# --- public -------------------------------------------------------------------------------------------


@router.get("/catalogue", response=list[VersionOut], auth=None, summary="Danh mục thủ tục (công khai)")
def catalogue(request):
    rows = []
    for procedure in selectors.procedure_list():
        version = procedure.current_version()
        if version is not None:
            rows.append(_version_out(version))
    return rows


@router.get("/catalogue/{code}", response=VersionOut, auth=None, summary="Một thủ tục (công khai)")
def catalogue_item(request, code: str):
    procedure = Procedure.objects.published().filter(code=code).first()
    version = procedure.current_version() if procedure else None
    if version is None:
        raise Http404
    return _version_out(version)


@router.post(
    "/catalogue/{code}/versions",
    response={201: VersionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Công bố phiên bản mới của thủ tục (phòng chuyên môn)",
)
def publish_version(request, code: str, payload: VersionIn):
    procedure = Procedure.objects.published().filter(code=code).first()
    if procedure is None:
        raise Http404
    fields = {k: v for k, v in payload.dict(exclude={"valid_from"}).items() if v is not None}
    valid_from = payload.valid_from
    if timezone.is_naive(valid_from):
        valid_from = timezone.make_aware(valid_from)
    version = services.procedure_version_publish(
        actor=request.user, procedure=procedure, valid_from=valid_from, **fields
    )
    return HttpStatus(201, _version_out(version))


@router.get(
    "/lookup",
    response={200: PublicDossierOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Tra cứu hồ sơ (công khai)",
)
def lookup(request, code: str = Query(..., max_length=64), key: str = Query(..., max_length=20)):
    """The dossier's code and the lookup key printed on its receipt slip; attempts are limited per
    address (429 with Retry-After), found or not."""
    throttle.refuse_if_limited(request, "dossier_lookup")
    dossier = selectors.public_lookup(code=code, key=key)
    if dossier is None:
        return HttpStatus(404, {"detail": _("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập.")})
    return {
        "code": dossier.code,
        "procedure": dossier.version.name,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "submitted_at": dossier.submitted_at,
        "appointment_at": dossier.appointment_at,
        "returned_at": dossier.returned_at,
        "history": [s.__dict__ for s in selectors.public_history(dossier)],
    }


# --- dossiers -----------------------------------------------------------------------------------------


@router.get("/dossiers", response=list[DossierOut], summary="Danh sách hồ sơ")
def list_dossiers(request, status: str = "", procedure: str = "", overdue: bool = False, q: str = ""):
    if not policy.may(request.user, "procedures.list"):
        raise Http404
    rows = selectors.dossier_list(user=request.user, status=status, procedure=procedure, overdue=overdue, q=q)
    return rows.select_related("version__procedure")[:MAX_LIST]


@router.get(
    "/dossiers/{int:dossier_id}", response=DossierDetailOut, summary="Một hồ sơ và quá trình giải quyết"
)
def get_dossier(request, dossier_id: int):
    return selectors.dossier_detail(user=request.user, pk=dossier_id)


class ApplicantIdOut(Schema):
    id: int
    applicant_id: str
    viewed_at: dt.datetime


@router.post(
    "/dossiers/{int:dossier_id}/reveal-id",
    response={200: ApplicantIdOut, 403: ErrorOut},
    summary="Xem đầy đủ mã số thuế/số giấy tờ của người nộp (ghi nhật ký)",
)
def reveal_applicant_id(request, dossier_id: int, response: HttpResponse):
    dossier = selectors.dossier_detail(user=request.user, pk=dossier_id)
    number = services.dossier_reveal_applicant_id(actor=request.user, dossier=dossier)
    response["Cache-Control"] = "no-store"
    return {"id": dossier.pk, "applicant_id": number, "viewed_at": timezone.now()}


@router.post(
    "/dossiers", response={201: DossierOut, 403: ErrorOut, 422: ErrorOut}, summary="Nộp hồ sơ trực tuyến"
)
def submit(request, payload: SubmitIn):
    user = request.user
    if not policy.may(user, "procedures.submit_online"):
        return HttpStatus(403, {"detail": _("Chỉ doanh nghiệp nộp hồ sơ trực tuyến."), "errors": []})
    from cuakhau.parties.selectors import own_enterprise

    enterprise = own_enterprise(user)
    data = payload.dict()
    data["procedure"] = _procedure(data["procedure"])
    data["files"] = _files(payload.files)
    dossier = services.dossier_submit(actor=user, enterprise=enterprise, **data)
    return HttpStatus(201, dossier)


@router.post(
    "/dossiers/desk",
    response={201: DossierOut, 403: ErrorOut, 422: ErrorOut},
    summary="Tiếp nhận hồ sơ trực tiếp tại Bộ phận một cửa (mẫu 01)",
)
def receive_at_desk(request, payload: DeskIn):
    if not permissions.may_receive_at_desk(request.user):
        return HttpStatus(403, {"detail": _("Chỉ Bộ phận một cửa tiếp nhận hồ sơ trực tiếp."), "errors": []})
    data = payload.dict()
    data["procedure"] = _procedure(data["procedure"])
    data["files"] = _files(payload.files)
    data["enterprise"] = Enterprise.objects.filter(
        tax_code=normalise_id(payload.applicant_id), is_active=True
    ).first()
    dossier = services.dossier_receive_at_desk(actor=request.user, **data)
    return HttpStatus(201, dossier)


STEP = {200: DossierOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _step(request, dossier_id: int, action: str, **data):
    dossier = selectors.dossier_detail(user=request.user, pk=dossier_id)
    result = getattr(services, f"dossier_{action}")(actor=request.user, dossier=dossier, **data)
    if action == "apologise":
        result = result.dossier
    result.refresh_from_db()
    return result


@router.post("/dossiers/{int:dossier_id}/receive", response=STEP, summary="Tiếp nhận (mẫu 01)")
def receive(request, dossier_id: int, payload: NoteIn):
    return _step(request, dossier_id, "receive", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/refuse", response=STEP, summary="Từ chối tiếp nhận (mẫu 03)")
def refuse(request, dossier_id: int, payload: DossierReasonIn):
    return _step(request, dossier_id, "refuse", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/handoff", response=STEP, summary="Chuyển bước (mẫu 06)")
def handoff(request, dossier_id: int, payload: HandoffIn):
    assignee = None
    if payload.assignee:
        assignee = User.objects.filter(username=payload.assignee, is_active=True).first()
        if assignee is None:
            raise ServiceError(_("Không có cán bộ %(u)s.") % {"u": payload.assignee}, field="assignee")
    return _step(request, dossier_id, "handoff", internal_note=payload.internal_note, assignee=assignee)


@router.post(
    "/dossiers/{int:dossier_id}/request-supplement", response=STEP, summary="Yêu cầu bổ sung (mẫu 02)"
)
def request_supplement(request, dossier_id: int, payload: SupplementRequestIn):
    return _step(request, dossier_id, "request_supplement", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/supplement", response=STEP, summary="Nộp bổ sung")
def supplement(request, dossier_id: int, payload: SupplementIn):
    return _step(request, dossier_id, "supplement", files=_files(payload.files), note=payload.note)


@router.post("/dossiers/{int:dossier_id}/request-fee", response=STEP, summary="Thông báo nộp phí")
def request_fee(request, dossier_id: int, payload: FeeIn):
    return _step(request, dossier_id, "request_fee", amount=payload.amount)


@router.post("/dossiers/{int:dossier_id}/pay-fee", response=STEP, summary="Ghi nhận đã nộp phí")
def pay_fee(request, dossier_id: int, payload: PayIn):
    return _step(request, dossier_id, "pay_fee", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/process", response=STEP, summary="Ghi kết quả")
def process(request, dossier_id: int, payload: ProcessIn):
    return _step(
        request,
        dossier_id,
        "process",
        result_summary=payload.result_summary,
        internal_note=payload.internal_note,
        files=_files(payload.files),
    )


@router.post("/dossiers/{int:dossier_id}/return", response=STEP, summary="Trả kết quả")
def return_result(request, dossier_id: int, payload: NoteIn):
    return _step(request, dossier_id, "return", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/withdraw", response=STEP, summary="Rút hồ sơ")
def withdraw(request, dossier_id: int, payload: DossierReasonIn):
    return _step(request, dossier_id, "withdraw", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/stop", response=STEP, summary="Dừng giải quyết (mẫu 05)")
def stop(request, dossier_id: int, payload: NoteIn):
    return _step(request, dossier_id, "stop", **payload.dict())


@router.post("/dossiers/{int:dossier_id}/apologise", response=STEP, summary="Xin lỗi và hẹn lại (mẫu 04)")
def apologise(request, dossier_id: int, payload: ApologyIn):
    new_due = payload.new_due_at
    if timezone.is_naive(new_due):
        new_due = timezone.make_aware(new_due)
    return _step(request, dossier_id, "apologise", reason=payload.reason, new_due_at=new_due)


@router.get("/figures", response=FiguresOut, summary="Số liệu: tiếp nhận, trước/đúng/quá hạn, chỉ số")
def figures(request, start: dt.date | None = None, end: dt.date | None = None, by: str = "procedure"):
    if not permissions.may_read_figures(request.user):
        raise Http404
    today = timezone.localdate()
    start = start or today.replace(month=1, day=1)
    end = end or today
    if by not in selectors.GROUPS:
        raise ServiceError(_("Chỉ nhóm theo thủ tục (procedure) hoặc đơn vị (unit)."), field="by")
    f = selectors.figures(user=request.user, start=start, end=end, by=by)

    def row(r):
        return {**r.__dict__, "on_time_rate": r.on_time_rate, "online_share": r.online_share}

    return {
        "start": f.start,
        "end": f.end,
        "by": f.by,
        "rows": [row(r) for r in f.rows],
        "total": row(f.total),
        "measures": [m.__dict__ for m in f.measures],
    }

"""/api/v1/plans: work plans, tasks, the province's evaluation, directives and actions, and the public's
feedback on staff. Reads are scoped to the caller (out of scope is 404; enterprises and drivers get 404
everywhere here); writes call the same services as the pages, and a refused write answers 422 naming
the field. The one write without sign-in is a rating sent with the signed token of a feedback link
(what the public page takes), under the same limits as the page."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cuakhau.core import throttle
from cuakhau.core.api_params import Year
from cuakhau.core.errors import ServiceError
from cuakhau.core.feedback import InvalidToken, read_token
from cuakhau.core.middleware import client_ip
from cuakhau.core.models import Unit
from cuakhau.core.permissions import CHANGE

from . import selectors, services
from .models import Action, ActionStatus, Evaluation, TaskKind, TaskStatus
from .permissions import PROGRESS, is_manager, may_read_feedback, may_use

router = Router(tags=["plans"])

MAX_LIST = 500


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


def _module(request) -> None:
    if not may_use(request.user):
        raise Http404


def _manager(request) -> None:
    _module(request)
    if not is_manager(request.user):
        raise ServiceError(_("Chỉ lãnh đạo Ban và phòng chuyên môn được làm việc này."), status=403)


def _unit(code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ServiceError(_("Không có đơn vị mã %(code)s.") % {"code": code}, field=field)
    return unit


def _units(codes: list[str], field: str) -> list[Unit]:
    return [_unit(code, field) for code in codes]


# --- schemas --------------------------------------------------------------------------------------------


class EvaluationSummaryOut(Schema):
    year: int
    kind: str
    total: int
    clear: int
    unclear: int
    not_completed: int
    pending: int
    complete: bool
    line: str


def _summary(summary) -> dict:
    return {
        "year": summary.year,
        "kind": summary.kind,
        "total": summary.total,
        "clear": summary.clear,
        "unclear": summary.unclear,
        "not_completed": summary.not_completed,
        "pending": summary.pending,
        "complete": summary.complete,
        "line": summary.line,
    }


class PlanOut(Schema):
    year: int
    title: str
    reference: str
    issued_on: datetime.date | None
    status: str
    evaluation_reference: str
    evaluated_on: datetime.date | None


class PlanIn(Schema):
    year: int
    title: str = Field("", max_length=255)
    reference: str = Field("", max_length=80)
    issued_on: datetime.date | None = None


class TaskOut(Schema):
    id: int
    year: int
    kind: str
    number: int
    title: str
    description: str
    lead_unit: str
    cooperating_units: list[str]
    deadline: datetime.date | None
    status: str
    percent: int
    completed_on: datetime.date | None
    evaluation: str
    evaluation_note: str

    @staticmethod
    def resolve_year(obj):
        return obj.plan.year

    @staticmethod
    def resolve_lead_unit(obj):
        return obj.lead_unit.code

    @staticmethod
    def resolve_cooperating_units(obj):
        return [u.code for u in obj.cooperating_units.all()]


class TaskIn(Schema):
    kind: TaskKind = TaskKind.KEY
    title: str = Field(..., min_length=1, max_length=500)
    description: str = ""
    lead_unit: str = Field(..., description="mã đơn vị, ví dụ phong-ke-hoach")
    cooperating_units: list[str] = []
    deadline: datetime.date | None = None


class ProgressIn(Schema):
    note: str = Field(..., min_length=1)
    status: TaskStatus | None = None
    percent: int | None = Field(None, ge=0, le=100)


class ProgressOut(Schema):
    id: int
    task: int = Field(..., alias="task_id")
    status: str
    percent: int
    note: str
    created_at: datetime.datetime


class EvaluationIn(Schema):
    evaluation: Evaluation
    note: str = ""


class PlanEvaluationItem(Schema):
    task: int
    evaluation: Evaluation


class PlanEvaluationIn(Schema):
    reference: str = Field("", max_length=120)
    evaluated_on: datetime.date | None = None
    tasks: list[PlanEvaluationItem]


class IndicatorOut(Schema):
    id: int
    name: str
    measure: str
    target: Decimal
    statistic_key: str
    statistic_year: int | None
    actual: Decimal | None
    from_statistics: bool


class DirectiveOut(Schema):
    id: int
    leader: str
    leader_title: str
    given_on: datetime.date
    meeting: str
    reference: str
    text: str


class DirectiveIn(Schema):
    leader: str = Field(..., min_length=1, max_length=150)
    leader_title: str = Field("", max_length=255)
    given_on: datetime.date
    meeting: str = Field("", max_length=255)
    reference: str = Field("", max_length=120)
    text: str = Field(..., min_length=1)


class ActionOut(Schema):
    id: int
    directive: int = Field(..., alias="directive_id")
    number: int
    title: str
    owner_unit: str
    cooperating_units: list[str]
    due_date: datetime.date
    status: str
    overdue: bool
    result: str
    completed_on: datetime.date | None

    @staticmethod
    def resolve_owner_unit(obj):
        return obj.owner_unit.code

    @staticmethod
    def resolve_cooperating_units(obj):
        return [u.code for u in obj.cooperating_units.all()]


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    owner_unit: str
    cooperating_units: list[str] = []
    due_date: datetime.date


class ActionUpdateIn(Schema):
    note: str = Field(..., min_length=1)
    status: ActionStatus | None = None
    result: str = ""
    completed_on: datetime.date | None = None


class PlanActionFilter(Schema):
    status: ActionStatus | None = None
    overdue: bool = False


# --- plans ------------------------------------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], summary="Các kế hoạch công tác năm")
def list_plans(request):
    _module(request)
    return selectors.plan_list(user=request.user)[:MAX_LIST]


@router.post("/plans", response={201: PlanOut, 403: ErrorOut, 422: ErrorOut}, summary="Lập kế hoạch năm")
def create_plan(request, payload: PlanIn):
    _manager(request)
    return Status(201, services.plan_create(actor=request.user, **payload.dict()))


@router.get("/plans/{year}", response=PlanOut, summary="Một kế hoạch")
def get_plan(request, year: Year):
    _module(request)
    return selectors.plan_detail(user=request.user, year=year)


@router.post(
    "/plans/{year}/activate", response={200: PlanOut, 403: ErrorOut, 422: ErrorOut}, summary="Ban hành"
)
def activate_plan(request, year: Year):
    _manager(request)
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    return services.plan_activate(actor=request.user, plan=plan)


@router.post(
    "/plans/{year}/close", response={200: PlanOut, 403: ErrorOut, 422: ErrorOut}, summary="Kết thúc năm"
)
def close_plan(request, year: Year):
    _manager(request)
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    return services.plan_close(actor=request.user, plan=plan)


@router.get("/plans/{year}/tasks", response=list[TaskOut], summary="Nhiệm vụ của kế hoạch")
def list_tasks(request, year: Year):
    _module(request)
    plan = selectors.plan_detail(user=request.user, year=year)
    return selectors.plan_tasks(user=request.user, plan=plan)


@router.post(
    "/plans/{year}/tasks", response={201: TaskOut, 403: ErrorOut, 422: ErrorOut}, summary="Thêm nhiệm vụ"
)
def create_task(request, year: Year, payload: TaskIn):
    _manager(request)
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    data = payload.dict()
    data["lead_unit"] = _unit(data["lead_unit"], "lead_unit")
    data["cooperating_units"] = _units(data["cooperating_units"], "cooperating_units")
    return Status(201, services.task_add(actor=request.user, plan=plan, **data))


@router.get(
    "/plans/{year}/evaluation", response=EvaluationSummaryOut, summary="Đánh giá của tỉnh: câu tổng hợp"
)
def get_evaluation(request, year: Year, kind: TaskKind = TaskKind.KEY):
    _module(request)
    plan = selectors.plan_detail(user=request.user, year=year)
    return _summary(selectors.evaluation_summary(plan, kind))


@router.post(
    "/plans/{year}/evaluation",
    response={200: EvaluationSummaryOut, 403: ErrorOut, 422: ErrorOut},
    summary="Ghi đánh giá của tỉnh cho các nhiệm vụ",
)
def record_evaluation(request, year: Year, payload: PlanEvaluationIn):
    _manager(request)
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    plan = services.plan_evaluation_record(
        actor=request.user,
        plan=plan,
        evaluations={item.task: item.evaluation for item in payload.tasks},
        reference=payload.reference,
        evaluated_on=payload.evaluated_on,
    )
    return _summary(selectors.evaluation_summary(plan))


# --- tasks -------------------------------------------------------------------------------------------------


@router.get("/tasks/{task_id}", response=TaskOut, summary="Một nhiệm vụ")
def get_task(request, task_id: int):
    _module(request)
    return selectors.task_detail(user=request.user, pk=task_id)


@router.get("/tasks/{task_id}/indicators", response=list[IndicatorOut], summary="Chỉ tiêu của nhiệm vụ")
def task_indicators(request, task_id: int):
    _module(request)
    task = selectors.task_detail(user=request.user, pk=task_id)
    return [
        {
            "id": row.indicator.pk,
            "name": row.indicator.name,
            "measure": row.indicator.measure,
            "target": row.indicator.target,
            "statistic_key": row.indicator.statistic_key,
            "statistic_year": row.indicator.statistic_year,
            "actual": row.actual,
            "from_statistics": row.from_statistics,
        }
        for row in selectors.indicator_rows(task.indicators.select_related("task__plan"))
    ]


@router.post(
    "/tasks/{task_id}/progress",
    response={201: ProgressOut, 422: ErrorOut},
    summary="Báo cáo tiến độ (tệp minh chứng: qua trang nhiệm vụ)",
)
def report_progress(request, task_id: int, payload: ProgressIn):
    _module(request)
    task = selectors.task_detail(user=request.user, pk=task_id, action=PROGRESS)
    return Status(201, services.task_report_progress(actor=request.user, task=task, **payload.dict()))


@router.post(
    "/tasks/{task_id}/evaluation",
    response={200: TaskOut, 403: ErrorOut, 422: ErrorOut},
    summary="Ghi đánh giá của tỉnh cho một nhiệm vụ",
)
def evaluate_task(request, task_id: int, payload: EvaluationIn):
    _manager(request)
    task = selectors.task_detail(user=request.user, pk=task_id, action=CHANGE)
    return services.task_evaluate(
        actor=request.user, task=task, evaluation=payload.evaluation, note=payload.note
    )


# --- directives and actions -----------------------------------------------------------------------------------


@router.get("/directives", response=list[DirectiveOut], summary="Ý kiến chỉ đạo")
def list_directives(request, year: Year | None = None):
    _module(request)
    return selectors.directive_list(user=request.user, year=year)[:MAX_LIST]


@router.post(
    "/directives", response={201: DirectiveOut, 403: ErrorOut, 422: ErrorOut}, summary="Ghi ý kiến chỉ đạo"
)
def create_directive(request, payload: DirectiveIn):
    _manager(request)
    return Status(201, services.directive_create(actor=request.user, **payload.dict()))


@router.get("/directives/{directive_id}", response=DirectiveOut, summary="Một ý kiến chỉ đạo")
def get_directive(request, directive_id: int):
    _module(request)
    return selectors.directive_detail(user=request.user, pk=directive_id)


@router.get("/directives/{directive_id}/actions", response=list[ActionOut], summary="Việc của một chỉ đạo")
def directive_actions(request, directive_id: int):
    _module(request)
    directive = selectors.directive_detail(user=request.user, pk=directive_id)
    return selectors.directive_actions(user=request.user, directive=directive)


@router.post(
    "/directives/{directive_id}/actions",
    response={201: ActionOut, 403: ErrorOut, 422: ErrorOut},
    summary="Giao việc thực hiện chỉ đạo",
)
def create_action(request, directive_id: int, payload: ActionIn):
    _manager(request)
    directive = selectors.directive_detail(user=request.user, pk=directive_id, action=CHANGE)
    return Status(
        201,
        services.action_add(
            actor=request.user,
            directive=directive,
            title=payload.title,
            owner_unit=_unit(payload.owner_unit, "owner_unit"),
            cooperating_units=_units(payload.cooperating_units, "cooperating_units"),
            due_date=payload.due_date,
        ),
    )


@router.get("/actions", response=list[ActionOut], summary="Việc theo chỉ đạo (lọc: trạng thái, quá hạn)")
def list_actions(request, filters: Query[PlanActionFilter]):
    _module(request)
    return selectors.action_list(user=request.user, status=filters.status or "", overdue=filters.overdue)[
        :MAX_LIST
    ]


@router.get("/actions/{action_id}", response=ActionOut, summary="Một việc")
def get_action(request, action_id: int):
    _module(request)
    return selectors.action_detail(user=request.user, pk=action_id)


@router.post(
    "/actions/{action_id}/updates",
    response={200: ActionOut, 422: ErrorOut},
    summary="Cập nhật việc (trạng thái, nội dung, kết quả)",
)
def update_action(request, action_id: int, payload: ActionUpdateIn):
    _module(request)
    action = selectors.action_detail(user=request.user, pk=action_id, action=PROGRESS)
    services.action_update(
        actor=request.user,
        action=action,
        note=payload.note,
        status=payload.status,
        result=payload.result,
        completed_on=payload.completed_on,
    )
    return Action.objects.get(pk=action.pk)


# --- feedback on staff ------------------------------------------------------------------------------------


class FeedbackFigureOut(Schema):
    label: str
    unit: str
    count: int
    average: Decimal | None
    stars: list[int] = Field(..., description="số đánh giá 1, 2, 3, 4, 5 sao")


class FeedbackFiguresOut(Schema):
    total: int
    by_unit: list[FeedbackFigureOut]
    by_person: list[FeedbackFigureOut]


class FeedbackFilter(Schema):
    since: datetime.date | None = None
    until: datetime.date | None = None


class FeedbackIn(Schema):
    rating: int = Field(..., description="1 đến 5 sao")
    comment: str = ""


class FeedbackOut(Schema):
    subject_type: str
    subject_id: str
    unit: str
    rating: int
    submitted_at: datetime.datetime

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code


@router.get(
    "/feedback",
    response=FeedbackFiguresOut,
    summary="Đánh giá của người dân, doanh nghiệp: số liệu theo đơn vị và cán bộ (lãnh đạo)",
)
def feedback_figures(request, filters: Query[FeedbackFilter]):
    if not may_read_feedback(request.user):
        raise Http404
    figures = selectors.feedback_figures(user=request.user, since=filters.since, until=filters.until)
    return {key: figures[key] for key in ("total", "by_unit", "by_person")}


@router.post(
    "/feedback/{token}",
    auth=None,
    response={201: FeedbackOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Gửi đánh giá theo liên kết trên biên lai, thẻ, kết quả (công khai)",
)
def submit_feedback(request, token: str, payload: FeedbackIn):
    # Attempts, a link valid or not, are limited per address (core.throttle); accepted ratings have
    # their own, smaller limit in the service.
    throttle.refuse_if_limited(request, "feedback")
    try:
        subject = read_token(token)
    except InvalidToken as exc:
        raise ServiceError(
            _(
                "Liên kết đánh giá không hợp lệ hoặc đã hết hạn. Hãy dùng đúng liên kết hoặc mã QR in trên "
                "biên lai, thẻ hay kết quả bạn nhận được."
            ),
            field="token",
            status=404,
        ) from exc
    feedback = services.feedback_submit(
        actor=None,  # the public: the signed link is the permission
        subject=subject,
        rating=payload.rating,
        comment=payload.comment,
        client_ip=client_ip(request),
    )
    return Status(201, feedback)

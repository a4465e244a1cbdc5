"""Pages for work plans, tasks, the province's evaluation, directives and actions, notifications, and
the public's feedback. Thin: scope, form, service. Out of scope is 404."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.middleware import client_ip
from cuakhau.core.models import Unit
from cuakhau.core.permissions import CHANGE, can

from . import selectors, services
from .feedback import SUBJECT_TYPES, InvalidToken, read_token
from .forms import (
    ActionForm,
    ActionUpdateForm,
    DirectiveForm,
    EvaluationForm,
    FeedbackForm,
    IndicatorForm,
    PlanForm,
    ProgressForm,
    RescheduleForm,
    TaskForm,
)
from .models import (
    ActionStatus,
    Evidence,
    Feedback,
    Notification,
    PlanStatus,
    Task,
    TaskKind,
)
from .permissions import PROGRESS, is_manager, is_reader, may_read_feedback, may_use


def _form_errors(form, exc: ServiceError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _status(form) -> int:
    return 400 if form.errors else 200


def module_page(view):
    """Logged in, and a role the module exists for (enterprises and drivers get 404)."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_use(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def manager_page(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_manager(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _form_page(request, form, title, cancel_href, status=None, multipart=False):
    return render(
        request,
        "plans/form.html",
        {"form": form, "title": title, "cancel_href": cancel_href, "multipart": multipart},
        status=status if status is not None else _status(form),
    )


# --- plans -------------------------------------------------------------------------------------------


@module_page
def index(request):
    user = request.user
    plans = list(selectors.plan_list(user=user))
    summaries = {p.pk: selectors.evaluation_summary(p) for p in plans if p.status == PlanStatus.CLOSED}
    return render(
        request,
        "plans/index.html",
        {
            "plans": [(p, summaries.get(p.pk)) for p in plans],
            "can_manage": is_manager(user),
            "reader": is_reader(user),
            "own_unit": user.unit if user.unit_id and not is_reader(user) else None,
            "overdue_actions": selectors.action_list(user=user, overdue=True).count(),
        },
    )


@manager_page
def plan_create(request):
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo %(title)s.") % {"title": plan.title})
            return redirect("plans:plan_detail", year=plan.year)
    return _form_page(request, form, _("Lập kế hoạch công tác năm"), reverse("plans:index"))


@module_page
def plan_detail(request, year):
    plan = selectors.plan_detail(user=request.user, year=year)
    tasks = list(selectors.plan_tasks(user=request.user, plan=plan))
    today = timezone.localdate()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "key_tasks": [t for t in tasks if t.kind == TaskKind.KEY],
            "solutions": [t for t in tasks if t.kind == TaskKind.SOLUTION],
            "summary": selectors.evaluation_summary(plan, TaskKind.KEY),
            "solution_summary": selectors.evaluation_summary(plan, TaskKind.SOLUTION),
            "can_manage": is_manager(request.user),
            "today": today,
        },
    )


@manager_page
def plan_edit(request, year):
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    initial = {"title": plan.title, "reference": plan.reference, "issued_on": plan.issued_on}
    form = PlanForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, data=form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("plans:plan_detail", year=plan.year)
    return _form_page(
        request, form, _("Sửa: %(title)s") % {"title": plan.title}, reverse("plans:plan_detail", args=[year])
    )


@manager_page
@require_POST
def plan_transition(request, year, step):
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    service = {"activate": services.plan_activate, "close": services.plan_close}.get(step)
    if service is None:
        raise Http404
    try:
        plan = service(actor=request.user, plan=plan)
    except ServiceError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Kế hoạch năm %(year)s: %(status)s.")
            % {"year": plan.year, "status": plan.get_status_display()},
        )
    return redirect("plans:plan_detail", year=plan.year)


@manager_page
def plan_evaluate(request, year):
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    tasks = selectors.plan_tasks(user=request.user, plan=plan)
    form = EvaluationForm(
        request.POST or None,
        tasks=tasks,
        initial={"reference": plan.evaluation_reference, "evaluated_on": plan.evaluated_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_evaluation_record(
                actor=request.user,
                plan=plan,
                evaluations=form.evaluations(),
                reference=form.cleaned_data["reference"],
                evaluated_on=form.cleaned_data["evaluated_on"],
            )
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi đánh giá của tỉnh."))
            return redirect("plans:plan_detail", year=plan.year)
    return render(
        request,
        "plans/evaluate.html",
        {"plan": plan, "form": form, "summary": selectors.evaluation_summary(plan)},
        status=_status(form),
    )


# --- tasks -------------------------------------------------------------------------------------------


@manager_page
def task_create(request, year):
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    form = TaskForm(request.POST or None, initial={"kind": request.GET.get("kind", TaskKind.KEY)})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ %(task)s.") % {"task": task})
            return redirect("plans:plan_detail", year=plan.year)
    return _form_page(
        request,
        form,
        _("Thêm nhiệm vụ vào %(title)s") % {"title": plan.title},
        reverse("plans:plan_detail", args=[year]),
    )


def _upload_limits() -> dict:
    return {
        "accept": ",".join(f".{suffix}" for suffix in services.EVIDENCE_TYPES),
        "max_mb": services.MAX_EVIDENCE_BYTES // (1024 * 1024),
        "max_files": services.MAX_EVIDENCE_FILES,
    }


def _task_page(request, task, *, progress_form=None, status=200):
    may_report = can(request.user, PROGRESS, task) and task.plan.status == PlanStatus.ACTIVE
    if may_report and progress_form is None:
        progress_form = ProgressForm(
            initial={"status": task.status, "percent": task.percent}, **_upload_limits()
        )
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "indicators": selectors.indicator_rows(task.indicators.select_related("task__plan")),
            "updates": selectors.task_updates(task=task),
            "progress_form": progress_form,
            "can_manage": is_manager(request.user),
            "overdue": task.is_overdue(),
        },
        status=status,
    )


@module_page
def task_detail(request, pk):
    return _task_page(request, selectors.task_detail(user=request.user, pk=pk))


@manager_page
def task_edit(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk, action=CHANGE)
    initial = {
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit,
        "cooperating_units": list(task.cooperating_units.all()),
        "deadline": task.deadline,
    }
    form = TaskForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, data=form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("plans:task_detail", pk=task.pk)
    return _form_page(request, form, _("Sửa nhiệm vụ"), reverse("plans:task_detail", args=[pk]))


@module_page
@require_POST
def task_progress(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk, action=PROGRESS)
    form = ProgressForm(request.POST, request.FILES, **_upload_limits())
    if form.is_valid():
        try:
            services.task_report_progress(actor=request.user, task=task, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi báo cáo tiến độ."))
            return redirect("plans:task_detail", pk=task.pk)
    return _task_page(request, task, progress_form=form, status=400)


@manager_page
def indicator_create(request, pk):
    task = selectors.task_detail(user=request.user, pk=pk, action=CHANGE)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_add(actor=request.user, task=task, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("plans:task_detail", pk=task.pk)
    return _form_page(request, form, _("Thêm chỉ tiêu cho nhiệm vụ"), reverse("plans:task_detail", args=[pk]))


@module_page
def evidence_download(request, pk):
    evidence = Evidence.objects.select_related("update__task").filter(pk=pk).first()
    if (
        evidence is None
        or not Task.objects.for_user(request.user).filter(pk=evidence.update.task_id).exists()
    ):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- per-unit dashboard ------------------------------------------------------------------------------


@module_page
def units(request):
    if not is_reader(request.user):
        if request.user.unit_id:
            return redirect("plans:unit_detail", code=request.user.unit.code)
        raise Http404
    return render(request, "plans/units.html", {"rows": selectors.unit_overview(user=request.user)})


@module_page
def unit_detail(request, code):
    unit = selectors.units_visible(request.user).filter(code=code).first()
    if unit is None and is_reader(request.user):
        unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    work = selectors.unit_work(user=request.user, unit=unit, with_lists=True)
    return render(request, "plans/unit_detail.html", {"work": work, "today": timezone.localdate()})


# --- directives and actions ---------------------------------------------------------------------------


@module_page
def directive_list(request):
    directives = selectors.directive_list(user=request.user)
    return render(
        request,
        "plans/directive_list.html",
        {"directives": directives, "can_manage": is_manager(request.user)},
    )


@manager_page
def directive_create(request):
    form = DirectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directive = services.directive_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi ý kiến chỉ đạo; hãy giao việc cho các đơn vị."))
            return redirect("plans:directive_detail", pk=directive.pk)
    return _form_page(request, form, _("Ghi ý kiến chỉ đạo"), reverse("plans:directive_list"))


@module_page
def directive_detail(request, pk):
    directive = selectors.directive_detail(user=request.user, pk=pk)
    return render(
        request,
        "plans/directive_detail.html",
        {
            "directive": directive,
            "actions": selectors.directive_actions(user=request.user, directive=directive),
            "can_manage": is_manager(request.user),
            "today": timezone.localdate(),
        },
    )


@manager_page
def action_create(request, pk):
    directive = selectors.directive_detail(user=request.user, pk=pk, action=CHANGE)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(actor=request.user, directive=directive, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã giao việc."))
            return redirect("plans:directive_detail", pk=directive.pk)
    return _form_page(
        request, form, _("Giao việc thực hiện chỉ đạo"), reverse("plans:directive_detail", args=[pk])
    )


@module_page
def action_list(request):
    status = request.GET.get("status", "")
    if status not in ActionStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    actions = selectors.action_list(user=request.user, status=status, overdue=overdue)
    return render(
        request,
        "plans/action_list.html",
        {
            "actions": actions,
            "status": status,
            "overdue": overdue,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _action_page(request, action, *, update_form=None, reschedule_form=None, status=200):
    manager = is_manager(request.user)
    open_ = action.status in ("open", "in_progress")
    may_update = open_ and can(request.user, PROGRESS, action) if not manager else open_
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author"),
            # A refused update keeps its form (and its error) on the page even once the action is finished.
            "update_form": update_form
            if update_form is not None
            else (
                ActionUpdateForm(initial={"status": action.status}, may_cancel=manager)
                if may_update
                else None
            ),
            "reschedule_form": reschedule_form
            if reschedule_form is not None
            else (RescheduleForm() if manager and open_ else None),
        },
        status=status,
    )


@module_page
def action_detail(request, pk):
    return _action_page(request, selectors.action_detail(user=request.user, pk=pk))


@module_page
@require_POST
def action_update(request, pk):
    manager = is_manager(request.user)
    action = selectors.action_detail(user=request.user, pk=pk, action=CHANGE if manager else PROGRESS)
    form = ActionUpdateForm(request.POST, may_cancel=manager)
    if form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, may_cancel=manager, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật việc."))
            return redirect("plans:action_detail", pk=action.pk)
    return _action_page(request, action, update_form=form, status=400)


@manager_page
@require_POST
def action_reschedule(request, pk):
    action = selectors.action_detail(user=request.user, pk=pk, action=CHANGE)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.action_reschedule(actor=request.user, action=action, **form.cleaned_data)
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã đổi hạn."))
            return redirect("plans:action_detail", pk=action.pk)
    return _action_page(request, action, reschedule_form=form, status=400)


# --- notifications ------------------------------------------------------------------------------------


@module_page
def notifications(request):
    items = Notification.objects.for_user(request.user)[:200]
    template = "plans/_notifications.html" if request.htmx else "plans/notifications.html"
    return render(request, template, {"notifications": items})


@module_page
@require_POST
def notifications_read(request):
    ids = [i for i in request.POST.getlist("id") if i.isdigit()]
    mine = Notification.objects.for_user(request.user).unread()
    mine = mine.filter(pk__in=ids) if ids else mine
    services.notification_mark_read(actor=request.user, notifications=list(mine))
    if request.htmx:
        return render(
            request,
            "plans/_notifications.html",
            {"notifications": Notification.objects.for_user(request.user)[:200]},
        )
    return redirect("plans:notifications")


# --- feedback -----------------------------------------------------------------------------------------


@login_required
def feedback_figures(request):
    if not may_read_feedback(request.user):
        raise Http404
    return render(request, "plans/feedback_figures.html", selectors.feedback_figures(user=request.user))


def feedback_public(request, token):
    """The public page a link on a receipt, pass or result opens: no login."""
    try:
        subject = read_token(token)
    except InvalidToken:
        return render(request, "plans/feedback_invalid.html", status=404)
    unit = Unit.objects.filter(pk=subject.unit_id, is_active=True).first()
    if unit is None:
        return render(request, "plans/feedback_invalid.html", status=404)
    staff = unit.users.model.objects.filter(pk=subject.staff_id).first() if subject.staff_id else None
    already = Feedback.objects.filter(
        subject_type=subject.subject_type, subject_id=subject.subject_id, unit=unit
    ).exists()
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and not already:
        if form.is_valid():
            try:
                services.feedback_submit(
                    subject=subject,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    client_ip=client_ip(request),
                )
            except ServiceError as exc:
                _form_errors(form, exc)
                status = exc.status if exc.status != 400 else 400
            else:
                return render(request, "plans/feedback_thanks.html", {"unit": unit})
        else:
            status = 400
    return render(
        request,
        "plans/feedback_public.html",
        {
            "form": form,
            "unit": unit,
            "staff": staff,
            "subject_label": SUBJECT_TYPES.get(subject.subject_type, subject.subject_type),
            "subject_id": subject.subject_id,
            "already": already,
        },
        status=status,
    )

"""Pages for the year's plans, the province's evaluation and the per-unit dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.models import Unit
from cuakhau.core.permissions import CHANGE
from cuakhau.core.views.forms import submit

from .. import selectors, services
from ..forms import (
    EvaluationForm,
    PlanForm,
)
from ..models import (
    PlanStatus,
    TaskKind,
)
from ..permissions import is_manager, is_reader
from .base import form_page, form_status, manager_page, module_page


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
    plan = submit(request, form, lambda data: services.plan_create(actor=request.user, **data))
    if plan:
        messages.success(request, _("Đã tạo %(title)s.") % {"title": plan.title})
        return redirect("plans:plan_detail", year=plan.year)
    return form_page(request, form, _("Lập kế hoạch công tác năm"), reverse("plans:index"))


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
    if submit(request, form, lambda data: services.plan_update(actor=request.user, plan=plan, data=data)):
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("plans:plan_detail", year=plan.year)
    return form_page(
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
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi đánh giá của tỉnh."))
            return redirect("plans:plan_detail", year=plan.year)
    return render(
        request,
        "plans/evaluate.html",
        {"plan": plan, "form": form, "summary": selectors.evaluation_summary(plan)},
        status=form_status(form),
    )


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

"""Pages for the year's plans, the province's evaluation and the per-unit dashboard."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.models import Unit
from cuakhau.core.pages import TransitionPage
from cuakhau.core.permissions import CHANGE
from cuakhau.core.views.forms import submit

from .. import selectors, services
from ..actions import PLAN
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


def _plan_page(request, plan, action_forms, failed="", status=200):
    tasks = list(selectors.plan_tasks(user=request.user, plan=plan))
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
            "action_forms": action_forms,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _plan_step(user, plan, name, data, files):
    return {"activate": services.plan_activate, "close": services.plan_close}[name](actor=user, plan=plan)


# The plan's steps (issue, close the year): buttons on its page, posted to /plans/<year>/<step>/.
PLAN_PAGE = TransitionPage(
    workflow=PLAN,
    get_object=lambda request, year: selectors.plan_detail(user=request.user, year=year),
    form_for=lambda name, plan, data, files: forms.Form(data, prefix=name),
    apply=_plan_step,
    render=_plan_page,
    url_for=lambda plan, name: reverse(f"plans:plan_{name}", args=[plan.year]),
    after=lambda request, plan: reverse("plans:plan_detail", args=[plan.year]),
    done_message=lambda plan, transition: (
        _("Kế hoạch năm %(year)s: %(status)s.")
        % {"year": plan.year, "status": PLAN.state_label(transition.target)}
    ),
)
_plan_transition = PLAN_PAGE.view()


@module_page
def plan_detail(request, year):
    return PLAN_PAGE.detail(request, selectors.plan_detail(user=request.user, year=year))


@manager_page
def plan_edit(request, year):
    plan = selectors.plan_detail(user=request.user, year=year, action=CHANGE)
    initial = {"title": plan.title, "reference": plan.reference, "issued_on": plan.issued_on}
    form = PlanForm(request.POST or None, initial=initial, editing=True)
    if submit(request, form, lambda data: services.plan_update(actor=request.user, plan=plan, **data)):
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("plans:plan_detail", year=plan.year)
    return form_page(
        request, form, _("Sửa: %(title)s") % {"title": plan.title}, reverse("plans:plan_detail", args=[year])
    )


@manager_page
def plan_transition(request, year, step):
    return _plan_transition(request, pk=year, action=step)


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

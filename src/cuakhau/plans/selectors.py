"""Reads of plans, tasks, directives, actions and feedback, each starting from the user's scope.

For the year-end report (reports app): `year_evaluation(user=..., year=...)` gives the province's
evaluation of a year's key tasks with the summary line in the Board's words, and
`directive_action_states(user=..., year=...)` lists the directives of a year with the state of each
of their actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cuakhau.core.models import Unit
from cuakhau.core.permissions import VIEW, get_for_user_or_404
from cuakhau.core.workcal import add_working_days

from . import indicators
from .models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Directive,
    Evaluation,
    Feedback,
    Indicator,
    Plan,
    PlanStatus,
    Task,
    TaskKind,
    TaskStatus,
)
from .permissions import is_reader

DUE_SOON_WORKING_DAYS = 5


# --- plans and the evaluation summary -------------------------------------------------------------------


def plan_list(*, user):
    return Plan.objects.for_user(user).annotate(
        task_count=Count("tasks", filter=Q(tasks__kind=TaskKind.KEY), distinct=True),
        solution_count=Count("tasks", filter=Q(tasks__kind=TaskKind.SOLUTION), distinct=True),
    )


def plan_detail(*, user, year: int, action: str = VIEW) -> Plan:
    return get_for_user_or_404(Plan, user, action, year=year)


def plan_tasks(*, user, plan: Plan, kind: str | None = None):
    tasks = (
        Task.objects.for_user(user)
        .filter(plan=plan)
        .select_related("lead_unit", "plan")
        .prefetch_related("cooperating_units")
    )
    return tasks.filter(kind=kind) if kind else tasks


@dataclass
class EvaluationSummary:
    year: int
    kind: str
    total: int
    clear: int
    unclear: int
    not_completed: int
    pending: int
    evaluation_reference: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.pending == 0

    @property
    def line(self) -> str:
        """In the Board's words: "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành
        nhưng chưa có kết quả rõ nét, không có nhiệm vụ không hoàn thành"."""
        if self.total == 0:
            return _("Chưa có nhiệm vụ.")
        parts = []
        for count, phrase in (
            (self.clear, _("hoàn thành có kết quả rõ nét")),
            (self.unclear, _("hoàn thành nhưng chưa có kết quả rõ nét")),
            (self.not_completed, _("không hoàn thành")),
        ):
            if count:
                parts.append(
                    _("%(n)s/%(total)s nhiệm vụ %(level)s")
                    % {"n": count, "total": self.total, "level": phrase}
                )
            else:
                parts.append(_("không có nhiệm vụ %(level)s") % {"level": phrase})
        if self.pending:
            parts.append(
                _("%(n)s/%(total)s nhiệm vụ chưa được đánh giá") % {"n": self.pending, "total": self.total}
            )
        return ", ".join(parts)


def evaluation_summary(plan: Plan, kind: str = TaskKind.KEY) -> EvaluationSummary:
    """Counts of the plan's tasks of a kind by the province's level (all tasks: the summary is about
    the plan, not about what one user sees)."""
    counts = dict(
        Task.objects.filter(plan=plan, kind=kind)
        .values_list("evaluation")
        .annotate(n=Count("id"))
        .values_list("evaluation", "n")
    )
    total = sum(counts.values())
    return EvaluationSummary(
        year=plan.year,
        kind=kind,
        total=total,
        clear=counts.get(Evaluation.CLEAR, 0),
        unclear=counts.get(Evaluation.UNCLEAR, 0),
        not_completed=counts.get(Evaluation.NOT_COMPLETED, 0),
        pending=counts.get("", 0),
        evaluation_reference=plan.evaluation_reference,
    )


def year_evaluation(*, user, year: int, kind: str = TaskKind.KEY) -> EvaluationSummary | None:
    """The year's evaluation summary for the year-end report, or None when the user may not read the
    plan, there is no plan, or the province's evaluation is not (fully) entered."""
    plan = Plan.objects.for_user(user).filter(year=year).first()
    if plan is None or not is_reader(user):
        return None
    summary = evaluation_summary(plan, kind)
    return summary if summary.complete else None


def year_plan_outline(*, user, year: int) -> dict | None:
    """The year's plan for the report: its tasks and solutions, numbered, with their lead units."""
    plan = Plan.objects.for_user(user).filter(year=year).first()
    if plan is None:
        return None
    tasks = plan_tasks(user=user, plan=plan)
    return {
        "plan": plan,
        "key_tasks": [t for t in tasks if t.kind == TaskKind.KEY],
        "solutions": [t for t in tasks if t.kind == TaskKind.SOLUTION],
    }


# --- indicators -----------------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Decimal | None
    from_statistics: bool

    @property
    def percent_of_target(self) -> Decimal | None:
        target = self.indicator.target
        if self.actual is None or not target:
            return None
        return (self.actual * 100 / target).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.indicator.target

    @property
    def places(self) -> int:
        """The decimals the target and the actual are shown with, the same for both: as many as either
        needs (the target is stored with three), so 1.200.000.000 đồng shows without ",000" and a
        target of 2,5 beside an actual of 3 shows 2,5 and 3,0."""
        values = [v for v in (self.indicator.target, self.actual) if v is not None]
        return max((max(0, -Decimal(v).normalize().as_tuple().exponent) for v in values), default=0)


def indicator_rows(indicator_list) -> list[IndicatorRow]:
    rows = []
    for ind in indicator_list:
        value = None
        from_stats = False
        if ind.statistic_key and indicators.has_provider(ind.statistic_key):
            value = indicators.actual(ind.statistic_key, ind.statistic_year or ind.task.plan.year)
            from_stats = value is not None
        if value is None:
            value = ind.actual_entered
        rows.append(IndicatorRow(ind, value, from_stats))
    return rows


# --- tasks -----------------------------------------------------------------------------------------------


def task_detail(*, user, pk, action: str = VIEW) -> Task:
    return get_for_user_or_404(
        Task.objects.select_related("plan", "lead_unit").prefetch_related("cooperating_units"),
        user,
        action,
        pk=pk,
    )


def task_updates(*, task: Task):
    return task.updates.select_related("author", "unit").prefetch_related("evidence")


# --- per-unit dashboard ------------------------------------------------------------------------------------


@dataclass
class UnitWork:
    unit: Unit
    tasks_led: int = 0
    tasks_cooperating: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    tasks_due_soon: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    actions_done: int = 0
    tasks: list = field(default_factory=list)
    actions: list = field(default_factory=list)


def _due_soon_until(today: datetime.date) -> datetime.date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def units_visible(user):
    """The units whose dashboard the user may open: all working units for readers, their own otherwise."""
    units = Unit.objects.filter(Q(plan_tasks_led__isnull=False) | Q(actions_owned__isnull=False)).distinct()
    if is_reader(user):
        return Unit.objects.filter(pk__in=units.values("pk")).order_by("kind", "name")
    return Unit.objects.filter(pk=user.unit_id) if user.unit_id else Unit.objects.none()


def unit_work(*, user, unit: Unit, today: datetime.date | None = None, with_lists: bool = False) -> UnitWork:
    """A unit's tasks in active plans and its directive actions, as the user may see them."""
    today = today or timezone.localdate()
    soon = _due_soon_until(today)
    work = UnitWork(unit=unit)
    coop_ids = Task.cooperating_units.through.objects.filter(unit_id=unit.pk).values("task_id")
    tasks = Task.objects.for_user(user).filter(plan__status=PlanStatus.ACTIVE)
    led = tasks.filter(lead_unit=unit)
    work.tasks_led = led.count()
    work.tasks_cooperating = tasks.filter(pk__in=coop_ids).count()
    work.tasks_done = led.filter(status=TaskStatus.DONE).count()
    open_led = led.exclude(status=TaskStatus.DONE).filter(deadline__isnull=False)
    work.tasks_overdue = open_led.filter(deadline__lt=today).count()
    work.tasks_due_soon = open_led.filter(deadline__gte=today, deadline__lte=soon).count()
    action_coop = Action.cooperating_units.through.objects.filter(unit_id=unit.pk).values("action_id")
    actions = Action.objects.for_user(user).filter(Q(owner_unit=unit) | Q(pk__in=action_coop))
    owned = actions.filter(owner_unit=unit)
    work.actions_open = owned.filter(status__in=OPEN_ACTION_STATUSES).count()
    work.actions_overdue = owned.overdue(today).count()
    work.actions_done = owned.filter(status=ActionStatus.DONE).count()
    if with_lists:
        work.tasks = list(
            tasks.filter(Q(lead_unit=unit) | Q(pk__in=coop_ids))
            .select_related("plan", "lead_unit")
            .order_by("deadline", "plan__year", "kind", "number")
        )
        work.actions = list(actions.select_related("directive", "owner_unit").order_by("due_date", "id"))
    return work


def unit_overview(*, user, today: datetime.date | None = None) -> list[UnitWork]:
    return [unit_work(user=user, unit=u, today=today) for u in units_visible(user)]


# --- directives and actions --------------------------------------------------------------------------------


def directive_list(*, user, year: int | None = None):
    directives = Directive.objects.for_user(user).annotate(
        action_count=Count("actions", distinct=True),
        open_count=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES), distinct=True),
        overdue_count=Count(
            "actions",
            filter=Q(actions__status__in=OPEN_ACTION_STATUSES, actions__due_date__lt=timezone.localdate()),
            distinct=True,
        ),
    )
    return directives.filter(given_on__year=year) if year else directives


def directive_detail(*, user, pk, action: str = VIEW) -> Directive:
    return get_for_user_or_404(Directive, user, action, pk=pk)


def directive_actions(*, user, directive: Directive):
    return (
        Action.objects.for_user(user)
        .filter(directive=directive)
        .select_related("owner_unit")
        .prefetch_related("cooperating_units")
        .order_by("number")
    )


def action_list(*, user, status: str = "", overdue: bool = False, unit: Unit | None = None):
    actions = (
        Action.objects.for_user(user)
        .select_related("directive", "owner_unit")
        .prefetch_related("cooperating_units")
        .order_by("due_date", "id")
    )
    if status:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.overdue()
    if unit is not None:
        actions = actions.filter(owner_unit=unit)
    return actions


def action_detail(*, user, pk, action: str = VIEW) -> Action:
    return get_for_user_or_404(
        Action.objects.select_related("directive", "owner_unit").prefetch_related("cooperating_units"),
        user,
        action,
        pk=pk,
    )


def action_state(action: Action, today: datetime.date | None = None) -> str:
    """One word for the report: done, done_late, cancelled, overdue, in_progress, open."""
    today = today or timezone.localdate()
    if action.status == ActionStatus.DONE:
        return "done_late" if action.finished_late else "done"
    if action.status == ActionStatus.CANCELLED:
        return "cancelled"
    if action.due_date < today:
        return "overdue"
    return action.status


ACTION_STATE_LABELS = {
    "done": _lazy("đã hoàn thành đúng hạn"),
    "done_late": _lazy("đã hoàn thành, chậm hạn"),
    "cancelled": _lazy("hủy bỏ"),
    "overdue": _lazy("quá hạn"),
    "in_progress": _lazy("đang thực hiện"),
    "open": _lazy("chưa triển khai"),
}


def directive_action_states(*, user, year: int, today: datetime.date | None = None) -> list[dict]:
    """For the year-end report: each directive given in `year` that the user may read, with its actions
    and their state (done on time, done late, cancelled, overdue, in progress, not started) and counts."""
    today = today or timezone.localdate()
    rows = []
    for directive in Directive.objects.for_user(user).filter(given_on__year=year).order_by("given_on", "id"):
        actions = list(directive_actions(user=user, directive=directive))
        states = [action_state(a, today) for a in actions]
        rows.append(
            {
                "directive": directive,
                "actions": [
                    {"action": a, "state": s, "state_label": str(ACTION_STATE_LABELS[s])}
                    for a, s in zip(actions, states, strict=True)
                ],
                "counts": {key: states.count(key) for key in ACTION_STATE_LABELS},
            }
        )
    return rows


def directive_year_summary(
    *, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> dict | None:
    """For the Board's reports: the directives given from `start` to `end` and the state of their
    actions today (counts by `action_state`), zone-wide; None when there were none. Not scoped: the
    report page is."""
    today = today or timezone.localdate()
    directives = Directive.objects.filter(given_on__gte=start, given_on__lte=end)
    count = directives.count()
    if not count:
        return None
    states = [action_state(a, today) for a in Action.objects.filter(directive__in=directives)]
    return {
        "directives": count,
        "actions": len(states),
        **{key: states.count(key) for key in ACTION_STATE_LABELS},
    }


# --- feedback ----------------------------------------------------------------------------------------------


@dataclass
class FeedbackFigure:
    label: str
    unit: str
    count: int
    average: Decimal | None
    stars: list[int]  # count of 1..5


def feedback_figures(*, user, since: datetime.date | None = None, until: datetime.date | None = None):
    """Per unit and per person: number of ratings, average, and how many of each star (leaders only:
    the scope gives others nothing)."""
    feedback = Feedback.objects.for_user(user)
    if since:
        feedback = feedback.filter(submitted_at__date__gte=since)
    if until:
        feedback = feedback.filter(submitted_at__date__lte=until)
    star_counts = {f"s{i}": Count("id", filter=Q(rating=i)) for i in range(1, 6)}

    def figures(group_by: list[str]) -> list[dict]:
        return list(
            feedback.values(*group_by)
            .annotate(count=Count("id"), average=Avg("rating"), **star_counts)
            .order_by(*group_by)
        )

    def avg(value):
        return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None

    by_unit = [
        FeedbackFigure(
            row["unit__name"],
            row["unit__name"],
            row["count"],
            avg(row["average"]),
            [row[f"s{i}"] for i in range(1, 6)],
        )
        for row in figures(["unit__name"])
    ]
    by_person = [
        FeedbackFigure(
            row["staff__full_name"] or row["staff__username"],
            row["unit__name"],
            row["count"],
            avg(row["average"]),
            [row[f"s{i}"] for i in range(1, 6)],
        )
        for row in figures(["unit__name", "staff__full_name", "staff__username"])
        if row["staff__username"]
    ]
    recent = feedback.select_related("unit", "staff").exclude(comment="")[:50]
    return {"by_unit": by_unit, "by_person": by_person, "recent": recent, "total": feedback.count()}


# --- read by the year-end report (reports.sources) ---------------------------------------------------------


def key_task_counts(*, year: int) -> dict | None:
    """The province's evaluation of the year's key tasks as counts, once every task is evaluated;
    None otherwise (the report then falls back on the published series). Not scoped: the report
    page is, and these are the plan's figures, not one user's view of them."""
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        return None
    summary = evaluation_summary(plan, TaskKind.KEY)
    if not summary.complete:
        return None
    return {
        "total": summary.total,
        "clear_result": summary.clear,
        "completed_unclear": summary.unclear,
        "not_completed": summary.not_completed,
    }


def next_year_tasks(*, year: int) -> list[str] | None:
    """The titles of the tasks planned for `year` (key tasks first, then tasks and solutions)."""
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        return None
    return list(plan.tasks.order_by("kind", "number").values_list("title", flat=True))

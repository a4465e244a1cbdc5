"""The demo data reproduces the seed's year, and loading it twice changes nothing."""

import csv
from pathlib import Path

import pytest

from cuakhau.core.context import acting_as
from cuakhau.core.reference import load_demo_users
from cuakhau.plans.demo import load_demo
from cuakhau.plans.models import Action, Directive, Feedback, Plan, TaskKind
from cuakhau.plans.selectors import directive_action_states, evaluation_summary, year_evaluation

pytestmark = pytest.mark.django_db

# The project's copy of ../shared/data/turnover_series.csv (identical; the trade app ships it): the suite
# runs in a clone without ../shared beside it.
SERIES = Path(__file__).resolve().parents[2] / "src" / "cuakhau" / "trade" / "data" / "turnover_series.csv"


def _seed_counts():
    rows = {
        r["metric"]: int(r["value"])
        for r in csv.DictReader(SERIES.open(encoding="utf-8"))
        if r["series"] == "tasks"
    }
    return rows


def test_demo_reproduces_the_seeds_2017_evaluation_and_2018_plan(reference_data):
    with acting_as(None, channel="cli"):
        load_demo_users()
        first = load_demo()
        second = load_demo()
    assert "2017" in first and second == "already loaded"
    seed = _seed_counts()
    summary = evaluation_summary(Plan.objects.get(year=2017))
    assert (summary.total, summary.clear, summary.unclear, summary.not_completed) == (
        seed["key_tasks_total"],
        seed["key_tasks_clear_result"],
        seed["key_tasks_completed_unclear"],
        seed["key_tasks_not_completed"],
    )
    assert summary.line == (
        "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
        "không có nhiệm vụ không hoàn thành"
    )
    plan_2018 = Plan.objects.get(year=2018)
    assert plan_2018.tasks.filter(kind=TaskKind.SOLUTION).count() == seed["planned_tasks_and_solutions"] == 9
    assert Directive.objects.count() == 1 and Action.objects.count() == 4 and Feedback.objects.count() == 4
    from cuakhau.core.models import User

    leader = User.objects.get(username="lanhdao")
    assert year_evaluation(user=leader, year=2017).line == summary.line
    (row,) = directive_action_states(user=leader, year=2018)
    assert row["counts"]["done_late"] == 1 and row["counts"]["done"] == 1 and row["counts"]["overdue"] == 2

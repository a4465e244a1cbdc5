"""The year-end report reads the province's evaluation and next year's tasks from plans' selectors
(reports.sources imports them; plans knows nothing of reports)."""

import pytest

from cuakhau.plans import services
from cuakhau.plans.models import Evaluation
from cuakhau.reports import sources
from tests.factories import plan_with_tasks

pytestmark = pytest.mark.django_db


def test_report_gets_the_counts_once_the_evaluation_is_complete(world):
    assert sources.task_evaluation(year=2017) is None  # no plan
    plan, tasks = plan_with_tasks(2017, n=7, lead_unit=world.planning, status="closed")
    services.plan_evaluation_record(actor=None, plan=plan, evaluations={tasks[0].pk: Evaluation.CLEAR})
    assert sources.task_evaluation(year=2017) is None  # six not evaluated yet
    services.plan_evaluation_record(
        actor=None, plan=plan, evaluations={t.pk: Evaluation.UNCLEAR for t in tasks[1:]}
    )
    assert sources.task_evaluation(year=2017) == {
        "total": 7,
        "clear_result": 1,
        "completed_unclear": 6,
        "not_completed": 0,
    }


def test_report_lists_next_years_tasks(world):
    assert sources.next_tasks(year=2018) is None
    plan_with_tasks(2018, n=9, lead_unit=world.planning, kind="solution", status="draft")
    titles = sources.next_tasks(year=2018)
    assert len(titles) == 9 and titles[0] == "Nhiệm vụ thử 1" and titles[-1] == "Nhiệm vụ thử 9"

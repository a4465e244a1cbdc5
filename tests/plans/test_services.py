"""Plans, tasks, progress with evidence, the province's evaluation: services and their transitions."""

import datetime
from decimal import Decimal

import pytest

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.plans import indicators, services
from cuakhau.plans.models import Evaluation, Evidence, PlanStatus, TaskKind, TaskStatus
from cuakhau.plans.selectors import evaluation_summary, indicator_rows, year_evaluation
from tests.factories import EnterpriseFactory, evidence_upload, plan_with_tasks

pytestmark = pytest.mark.django_db


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def test_plan_lifecycle_with_one_audit_event_per_step(world):
    plan = services.plan_create(actor=None, year=2018, reference="08/KH-BQLKKTCK")
    assert plan.title == "Kế hoạch công tác năm 2018" and plan.status == PlanStatus.DRAFT
    with pytest.raises(ServiceError) as exc:
        services.plan_activate(actor=None, plan=plan)
    assert exc.value.field == "tasks"
    services.task_add(actor=None, plan=plan, title="Thu phí hạ tầng", lead_unit=world.planning)
    plan = services.plan_activate(actor=None, plan=plan)
    assert plan.status == PlanStatus.ACTIVE and plan.issued_on is not None
    plan = services.plan_close(actor=None, plan=plan)
    assert plan.status == PlanStatus.CLOSED
    with pytest.raises(ServiceError) as exc:
        services.plan_close(actor=None, plan=plan)
    # The workflow's refusal (409): the state it is in and the one the step needs.
    assert exc.value.status == 409 and exc.value.field == "status"
    assert "Đã kết thúc năm" in exc.value.messages[0] and "Đang thực hiện" in exc.value.messages[0]
    assert [
        _events(a) for a in ("plans.plan.create", "plans.task.add", "plans.plan.activate", "plans.plan.close")
    ] == [
        1,
        1,
        1,
        1,
    ]


def test_one_plan_per_year_and_year_range(world):
    services.plan_create(actor=None, year=2018)
    with pytest.raises(ServiceError) as exc:
        services.plan_create(actor=None, year=2018)
    assert exc.value.field == "year" and "2018" in exc.value.messages[0]
    with pytest.raises(ServiceError):
        services.plan_create(actor=None, year=1999)


def test_task_units_must_be_the_boards_or_the_gates(world):
    plan = services.plan_create(actor=None, year=2018)
    enterprise = EnterpriseFactory()
    with pytest.raises(ServiceError) as exc:
        services.task_add(actor=None, plan=plan, title="X", lead_unit=enterprise.unit)
    assert exc.value.field == "lead_unit"
    with pytest.raises(ServiceError) as exc:
        services.task_add(
            actor=None, plan=plan, title="X", lead_unit=world.planning, cooperating_units=[world.planning]
        )
    assert exc.value.field == "cooperating_units"
    with pytest.raises(ServiceError) as exc:
        services.task_add(
            actor=None, plan=plan, title="X", lead_unit=world.planning, deadline=datetime.date(2017, 12, 31)
        )
    assert exc.value.field == "deadline" and "31/12/2017" in exc.value.messages[0]
    task = services.task_add(
        actor=None, plan=plan, title=" X ", lead_unit=world.planning, cooperating_units=[world.huu_nghi]
    )
    second = services.task_add(actor=None, plan=plan, title="Y", lead_unit=world.planning)
    solution = services.task_add(
        actor=None, plan=plan, title="Z", lead_unit=world.planning, kind=TaskKind.SOLUTION
    )
    assert (task.number, second.number, solution.number, task.title) == (1, 2, 1, "X")


def test_no_task_added_to_a_closed_plan(world):
    plan, _tasks = plan_with_tasks(2017, n=1, lead_unit=world.planning, status="closed")
    with pytest.raises(ServiceError) as exc:
        services.task_add(actor=None, plan=plan, title="Muộn", lead_unit=world.planning)
    assert exc.value.field == "plan" and "đã kết thúc" in exc.value.messages[0]


def test_progress_only_on_an_issued_plan_and_only_forward(world):
    plan, (task,) = plan_with_tasks(2018, n=1, lead_unit=world.huu_nghi, status="draft")
    with pytest.raises(ServiceError) as exc:
        services.task_report_progress(actor=None, task=task, note="Bắt đầu")
    assert exc.value.field == "status" and "chưa được ban hành" in exc.value.messages[0]
    services.plan_activate(actor=None, plan=plan)
    update = services.task_report_progress(actor=None, task=task, note="Bắt đầu", percent=30)
    task.refresh_from_db()
    assert (task.status, task.percent, update.status) == (TaskStatus.IN_PROGRESS, 30, TaskStatus.IN_PROGRESS)
    with pytest.raises(ServiceError) as exc:
        services.task_report_progress(actor=None, task=task, note="Xong", status=TaskStatus.DONE, percent=90)
    assert exc.value.field == "percent"
    services.task_report_progress(actor=None, task=task, note="Xong", status=TaskStatus.DONE)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.percent == 100 and task.completed_on is not None
    with pytest.raises(ServiceError) as exc:
        services.task_report_progress(
            actor=None, task=task, note="Lùi", status=TaskStatus.IN_PROGRESS, percent=50
        )
    assert exc.value.field == "status" and "không lùi" in exc.value.messages[0]
    services.task_report_progress(
        actor=None, task=task, note="Bổ sung minh chứng"
    )  # a note on a done task is fine
    services.plan_close(actor=None, plan=plan)
    with pytest.raises(ServiceError) as exc:
        services.task_report_progress(actor=None, task=task, note="Sau khi kết thúc")
    assert exc.value.field == "status" and "đã kết thúc" in exc.value.messages[0]
    assert [_events(f"plans.task.{step}") for step in ("start", "complete", "report")] == [1, 1, 1]


def test_evidence_is_checked_and_stored_under_media_root(world, media):
    _plan, (task,) = plan_with_tasks(2018, n=1, lead_unit=world.huu_nghi)
    update = services.task_report_progress(
        actor=None,
        task=task,
        note="Biên bản",
        files=[evidence_upload("pdf"), evidence_upload("png", name="anh.PNG")],
    )
    stored = list(update.evidence.all())
    assert [e.original_name for e in stored] == ["bien-ban.pdf", "anh.PNG"]
    assert [e.content_type for e in stored] == ["application/pdf", "image/png"]
    for evidence in stored:
        path = media / evidence.file.name
        assert path.exists() and str(path).startswith(str(media)) and "bien-ban" not in evidence.file.name
    event = AuditEvent.objects.filter(action="plans.task.start").latest("id")
    assert [e["name"] for e in event.after["evidence"]] == ["bien-ban.pdf", "anh.PNG"]


@pytest.mark.parametrize(
    "upload,message",
    [
        (lambda: evidence_upload("pdf", size=services.MAX_EVIDENCE_BYTES + 1), "lớn quá 10 MB"),
        (lambda: evidence_upload("pdf", name="virus.exe"), "chỉ nhận PDF"),
        (lambda: evidence_upload("pdf", name="gia.pdf", head=b"MZ\x90\x00"), "không đúng định dạng PDF"),
        (lambda: evidence_upload("pdf", size=0, head=b""), "rỗng"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(world, media, upload, message):
    _plan, (task,) = plan_with_tasks(2018, n=1, lead_unit=world.huu_nghi)
    with pytest.raises(ServiceError) as exc:
        services.task_report_progress(actor=None, task=task, note="Biên bản", files=[upload()])
    assert exc.value.field == "files" and message in exc.value.messages[0]
    task.refresh_from_db()
    assert (
        task.status == TaskStatus.NOT_STARTED and not task.updates.exists() and not Evidence.objects.exists()
    )
    assert not (media / "plans").exists()


def test_too_many_files_refused(world, media):
    _plan, (task,) = plan_with_tasks(2018, n=1, lead_unit=world.huu_nghi)
    with pytest.raises(ServiceError) as exc:
        services.task_report_progress(
            actor=None, task=task, note="x", files=[evidence_upload() for _ in range(6)]
        )
    assert exc.value.field == "files"


def test_evaluation_refused_until_the_plan_is_closed(world):
    plan, (task,) = plan_with_tasks(2018, n=1, lead_unit=world.planning)
    with pytest.raises(ServiceError) as exc:
        services.task_evaluate(actor=None, task=task, evaluation=Evaluation.CLEAR)
    assert exc.value.field == "evaluation"
    assert exc.value.messages[0].startswith("Chưa đánh giá được: kế hoạch năm 2018 chưa kết thúc")
    with pytest.raises(ServiceError):
        services.plan_evaluation_record(actor=None, plan=plan, evaluations={task.pk: Evaluation.CLEAR})
    task.refresh_from_db()
    assert (
        task.evaluation == "" and _events("plans.task.evaluate") == 0 and _events("plans.plan.evaluate") == 0
    )
    services.plan_close(actor=None, plan=plan)
    with pytest.raises(ServiceError) as exc:
        services.task_evaluate(actor=None, task=task, evaluation="excellent")
    assert exc.value.field == "evaluation" and "Hoàn thành có kết quả rõ nét" in exc.value.messages[0]
    task = services.task_evaluate(actor=None, task=task, evaluation=Evaluation.NOT_COMPLETED, note="Chưa đạt")
    assert task.evaluation == Evaluation.NOT_COMPLETED and _events("plans.task.evaluate") == 1


SEED_LINE = (
    "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
    "không có nhiệm vụ không hoàn thành"
)


def test_the_2017_evaluation_entered_gives_the_seeds_summary_line(world):
    plan, tasks = plan_with_tasks(2017, n=7, lead_unit=world.planning, status="closed")
    levels = {t.pk: Evaluation.UNCLEAR for t in tasks} | {tasks[0].pk: Evaluation.CLEAR}
    assert year_evaluation(user=world.users["board_leader"], year=2017) is None  # not entered yet
    services.plan_evaluation_record(
        actor=None, plan=plan, evaluations=levels, reference="TB-UBND", evaluated_on=None
    )
    summary = evaluation_summary(plan)
    assert (summary.total, summary.clear, summary.unclear, summary.not_completed) == (7, 1, 6, 0)
    assert summary.line == SEED_LINE
    assert _events("plans.plan.evaluate") == 1  # one document, one event
    assert year_evaluation(user=world.users["provincial_leader"], year=2017).line == SEED_LINE
    assert year_evaluation(user=world.users["enterprise"], year=2017) is None


def test_summary_line_names_each_level_and_what_is_not_evaluated(world):
    plan, tasks = plan_with_tasks(2017, n=4, lead_unit=world.planning, status="closed")
    services.plan_evaluation_record(
        actor=None,
        plan=plan,
        evaluations={tasks[0].pk: Evaluation.NOT_COMPLETED, tasks[1].pk: Evaluation.UNCLEAR},
    )
    assert evaluation_summary(plan).line == (
        "không có nhiệm vụ hoàn thành có kết quả rõ nét, 1/4 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
        "1/4 nhiệm vụ không hoàn thành, 2/4 nhiệm vụ chưa được đánh giá"
    )
    assert not evaluation_summary(plan).complete


def test_plan_evaluation_refuses_a_task_of_another_plan(world):
    plan, _ = plan_with_tasks(2017, n=1, lead_unit=world.planning, status="closed")
    _other, (foreign,) = plan_with_tasks(2016, n=1, lead_unit=world.planning, status="closed")
    with pytest.raises(ServiceError) as exc:
        services.plan_evaluation_record(actor=None, plan=plan, evaluations={foreign.pk: Evaluation.CLEAR})
    assert exc.value.field == "evaluation"
    foreign.refresh_from_db()
    assert foreign.evaluation == ""


@pytest.fixture
def turnover_provider():
    indicators.register("turnover_total", lambda year: Decimal("5250") if year == 2017 else None)
    yield
    indicators.unregister("turnover_total")


def test_indicator_takes_its_actual_value_from_a_registered_statistic(world, turnover_provider):
    _plan, (task,) = plan_with_tasks(2017, n=1, lead_unit=world.planning)
    linked = services.indicator_add(actor=None, task=task, statistic_key="turnover_total", target="5000")
    manual = services.indicator_add(
        actor=None,
        task=task,
        name="Thủ tục đúng hạn",
        measure="%",
        target="100",
        actual_entered="98,5".replace(",", "."),
    )
    assert linked.name == "Tổng kim ngạch xuất nhập khẩu qua các cửa khẩu" and linked.measure == "triệu USD"
    assert linked.statistic_year == 2017
    rows = indicator_rows([linked, manual])
    assert (rows[0].actual, rows[0].from_statistics, rows[0].percent_of_target, rows[0].met) == (
        Decimal("5250"),
        True,
        Decimal("105.0"),
        True,
    )
    assert (rows[1].actual, rows[1].from_statistics, rows[1].met) == (Decimal("98.500"), False, False)
    with pytest.raises(ServiceError) as exc:
        services.indicator_record_actual(actor=None, indicator=linked, actual="1")
    assert exc.value.field == "actual_entered"
    with pytest.raises(ServiceError) as exc:
        services.indicator_add(actor=None, task=task, statistic_key="no_such_statistic", target="1")
    assert exc.value.field == "statistic_key"


def test_target_and_actual_show_the_decimals_they_need_and_the_same_in_a_row(world, client):
    from cuakhau.core.roles import Role
    from tests.factories import UserFactory

    _plan, (task,) = plan_with_tasks(2017, n=1, lead_unit=world.planning)
    money = services.indicator_add(
        actor=None,
        task=task,
        name="Thu phí",
        measure="đồng",
        target=Decimal(1_200_000_000),
        actual_entered=Decimal(1_250_000_000),
    )
    share = services.indicator_add(
        actor=None,
        task=task,
        name="Đúng hạn",
        measure="%",
        target=Decimal(100),
        actual_entered=Decimal("98.5"),
    )
    assert [r.places for r in indicator_rows([money, share])] == [0, 1]
    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    html = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    table = html[html.index('data-testid="indicators"') :]
    # the target is stored with three decimals: no ",000" after đồng, and 100 beside 98,5 reads 100,0
    for shown in ("1.200.000.000<", "1.250.000.000<", "100,0<", "98,5<"):
        assert shown in table, shown
    assert ",000<" not in table


def test_a_failing_provider_shows_no_figure_instead_of_breaking(world):
    def broken(year):
        raise RuntimeError("trade database down")

    indicators.register("infrastructure_fee_revenue", broken)
    try:
        _plan, (task,) = plan_with_tasks(2017, n=1, lead_unit=world.planning)
        ind = services.indicator_add(
            actor=None,
            task=task,
            statistic_key="infrastructure_fee_revenue",
            target="600",
            actual_entered="645.262",
        )
        (row,) = indicator_rows([ind])
        assert row.actual == Decimal("645.262") and not row.from_statistics
    finally:
        indicators.unregister("infrastructure_fee_revenue")


def test_register_needs_label_for_a_new_statistic():
    with pytest.raises(ValueError):
        indicators.register("new_thing", lambda year: None)

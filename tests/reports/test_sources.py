"""The reports read the other apps' selectors directly (reports is downstream of all of them): plans'
evaluation, next year's tasks and directives, incidents, the fees app's receipts, and the turnover
computed from the declarations of trips that crossed. Every record here is made by the apps' services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cuakhau.core.context import acting_as
from cuakhau.reports import figures
from cuakhau.trade.periods import Period
from tests.factories import directive_with_action, fee_assessment, fee_gate, incident_reported, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(reference_data):
    from cuakhau.trade.reference import load_reference

    with acting_as(None, channel="cli"):
        load_reference()


def _text(period: Period) -> str:
    return " ".join(figures.sentences(figures.for_period(period))["results"])


def test_key_tasks_and_next_years_tasks_come_from_the_plans(series):
    from cuakhau.plans.demo import load_demo

    with acting_as(None, channel="cli"):
        load_demo()
    figs = figures.annual(2017)
    assert figs.tasks_origin == "plans" and figs.tasks == {
        "total": 7,
        "clear_result": 1,
        "completed_unclear": 6,
        "not_completed": 0,
    }
    text = " ".join(figures.sentences(figs)["results"])
    assert (
        "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
        "không có nhiệm vụ không hoàn thành" in text
    )
    from cuakhau.plans.models import Plan

    titles = list(
        Plan.objects.get(year=2018).tasks.order_by("kind", "number").values_list("title", flat=True)
    )
    nxt = figures.sentences(figs)["next"]
    assert nxt[0].startswith(f"Năm 2018, Ban Quản lý tập trung thực hiện {len(titles)} nhiệm vụ")
    assert nxt[1] == f"1. {titles[0]}" and len(nxt) == len(titles) + 1


SEED_LINE = (
    "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
    "không có nhiệm vụ không hoàn thành"
)
PLAN_2018 = [
    "Tăng cường quản lý hoạt động xuất nhập khẩu tại các cửa khẩu",
    "Đẩy mạnh cải cách thủ tục hành chính",
    "Tổ chức đấu giá quyền thuê nhà dịch vụ và các lô đất tại cửa khẩu",
    "Phối hợp xây dựng Khu hợp tác kinh tế qua biên giới Đồng Đăng – Bằng Tường",
    "Nâng cao trách nhiệm của cán bộ tiếp xúc người dân, doanh nghiệp",
    "Bảo đảm an ninh, trật tự, vệ sinh môi trường khu vực cửa khẩu",
    "Thu phí sử dụng công trình kết cấu hạ tầng đúng quy định",
    "Xúc tiến đầu tư vào khu kinh tế cửa khẩu",
    "Ứng dụng công nghệ thông tin trong quản lý cửa khẩu",
]


def test_the_year_end_report_takes_the_2017_evaluation_and_the_2018_plan_entered(reference_data, tmp_path):
    """Entered through the plans services (no published 'tasks' series loaded, so nothing else can
    give the line): the 2017 report states the seed's line once the evaluation is complete, and lists
    the 2018 plan's nine tasks and solutions."""
    from django.core.management import call_command

    from cuakhau.core.models import Unit
    from cuakhau.plans import services as plans
    from cuakhau.plans.models import Evaluation, TaskKind

    def report_text(cli: bool = True) -> str:
        if not cli:  # the command refuses a report without results; the draft still renders
            from cuakhau.reports import documents

            return " ".join(documents.render(documents.unsaved(2017), "md")[0].decode().split())
        out = tmp_path / "bao-cao-2017.md"
        call_command("report", "annual", "--year", "2017", "--format", "md", "--out", str(out))
        return " ".join(out.read_text(encoding="utf-8").split())

    planning = Unit.objects.get(code="phong-ke-hoach")
    with acting_as(None, channel="cli"):
        plan_2017 = plans.plan_create(actor=None, year=2017, reference="05/KH-BQL")
        key = [
            plans.task_add(actor=None, plan=plan_2017, title=f"Nhiệm vụ trọng tâm {i}", lead_unit=planning)
            for i in range(1, 8)
        ]
        plans.plan_activate(actor=None, plan=plan_2017)
        plans.plan_close(actor=None, plan=plan_2017)
        plan_2018 = plans.plan_create(actor=None, year=2018, reference="01/KH-BQL")
        for title in PLAN_2018:
            plans.task_add(
                actor=None, plan=plan_2018, kind=TaskKind.SOLUTION, title=title, lead_unit=planning
            )
    before = report_text(cli=False)
    assert "nhiệm vụ trọng tâm năm 2017" not in before  # not evaluated yet: no line at all
    assert "Năm 2018, Ban Quản lý tập trung thực hiện 9 nhiệm vụ" in before
    with acting_as(None, channel="cli"):
        plans.plan_evaluation_record(
            actor=None,
            plan=plan_2017,
            evaluations={t.pk: Evaluation.UNCLEAR for t in key} | {key[0].pk: Evaluation.CLEAR},
            reference="Thông báo kết luận của UBND tỉnh",
        )
    figs = figures.annual(2017)
    assert figs.tasks_origin == "plans" and figs.next_tasks == PLAN_2018
    text = report_text()
    assert f"Kết quả đánh giá 7 nhiệm vụ trọng tâm năm 2017 của Ban Quản lý: {SEED_LINE}." in text
    for number, title in enumerate(PLAN_2018, start=1):
        assert f"{number}. {title}" in text


def test_directives_state_comes_from_the_plans(series, reference_data):
    from cuakhau.core.models import Unit
    from cuakhau.plans import services as plan_services

    unit = Unit.objects.filter(kind="board_department").first()
    today = timezone.localdate()
    _d1, late = directive_with_action(
        unit, due_date=today - dt.timedelta(days=5), given_on=today.replace(day=1)
    )
    _d2, soon = directive_with_action(
        unit, due_date=today + dt.timedelta(days=30), given_on=today.replace(day=1)
    )
    plan_services.action_update(
        actor=None, action=soon, status="done", note="Đã xong", result="Đã ban hành kế hoạch"
    )
    text = _text(Period.month(today.year, today.month))
    assert "Thực hiện 2 ý kiến chỉ đạo của lãnh đạo tỉnh" in text and "với 2 việc cụ thể" in text
    assert "1 việc hoàn thành đúng hạn" in text and "1 việc quá hạn chưa hoàn thành" in text
    assert late.pk  # the overdue one is the first, still open


def test_incidents_are_counted_by_kind_without_rejected_reports(series):
    from cuakhau.gates.models import Gate
    from cuakhau.incidents import services as incident_services

    gate = Gate.objects.get(code="HUUNGHI")
    incident_reported(gate, kind="security")
    incident_reported(gate, kind="environment")
    spam = incident_reported(gate, kind="other", description="abc abc abc quảng cáo")
    officer = user_at_gate("gate_operator", gate)
    incident_services.incident_reject(actor=officer, incident=spam, reason="spam", note="Tin rác")
    today = timezone.localdate()
    figs = figures.for_period(Period.month(today.year, today.month))
    assert figs.incidents["total"] == 2 and figs.incidents["rejected"] == 1
    text = " ".join(figures.sentences(figs)["results"])
    assert "tiếp nhận, xử lý 2 vụ việc" in text and "An ninh, trật tự: 1" in text and "Khác" not in text


def test_fee_revenue_from_the_receipts_when_no_series_has_it(series):
    from cuakhau.fees import services as fee_services

    gate, _centre = fee_gate()
    cashier = user_at_gate("gate_cashier", gate)
    for amount in (6_500_000, 3_250_000):
        a = fee_assessment(gate, amount=amount)
        fee_services.payment_collect_cash(actor=cashier, assessment_id=a.pk)
    today = timezone.localdate()
    figs = figures.for_period(Period.year(today.year))
    assert figs.fee_revenue.origin == "fees" and Decimal(figs.fee_revenue.amount) == 9_750_000
    assert f"năm {today.year} đạt 0,01 tỷ đồng" in " ".join(figures.sentences(figs)["results"])
    # the published series wins where it has the year (2017: 645,262 tỷ đồng)
    assert figures.annual(2017).fee_revenue.origin in ("published", "derived")


def test_nothing_installed_means_no_paragraph(series, settings):
    from cuakhau.reports import sources

    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a not in ("cuakhau.incidents",)]
    assert sources.incidents(start=dt.date(2017, 1, 1), end=dt.date(2017, 12, 31)) is None

"""Plans in a real browser: a leader enters the province's 2017 evaluation and reads the summary line in
the Board's words; a directive's action goes overdue and stands out."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser]

SEED_LINE = (
    "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
    "không có nhiệm vụ không hoàn thành"
)


def test_leader_enters_the_2017_evaluation_and_sees_the_summary_line(page, live_server, zone):
    from cuakhau.plans.models import Task

    # The demo year arrives evaluated; start from the province's document not yet entered.
    Task.objects.filter(plan__year=2017).update(evaluation="", evaluated_at=None)
    login(page, live_server, "lanhdao", DEMO_PASSWORD)
    page.click("nav >> text=Kế hoạch & nhiệm vụ")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=plans-table] >> text=2017")
    assert "7/7 nhiệm vụ chưa được đánh giá" in page.locator("[data-testid=summary-key]").inner_text()
    page.click("text=Nhập đánh giá của tỉnh")
    page.fill("#id_reference", "Thông báo kết luận của UBND tỉnh")
    page.check("[data-testid=evaluate-task-1] input[value=clear]")
    for number in range(2, 8):
        page.check(f"[data-testid=evaluate-task-{number}] input[value=unclear]")
    shot(page, "plans-evaluation-form")
    page.click("text=Ghi đánh giá")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=summary-key]").inner_text().strip() == SEED_LINE
    assert page.locator("[data-testid=tasks-key] [data-testid=evaluation]").count() == 7
    shot(page, "plans-2017-evaluated")
    page.click("text=Kế hoạch")
    assert SEED_LINE in page.locator("[data-testid=plans-table]").inner_text()


def test_a_directives_action_goes_overdue_and_stands_out(page, live_server, zone):
    from cuakhau.plans.models import Action

    today = timezone.localdate()
    login(page, live_server, "chuyenvien", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/directives/new/")
    page.fill("#id_leader", "Phó Chủ tịch UBND tỉnh Lạng Sơn")
    page.fill("#id_given_on", (today - datetime.timedelta(days=20)).isoformat())
    page.fill("#id_meeting", "Giao ban tháng")
    page.fill("#id_text", "Rà soát biển báo phân luồng tại cửa khẩu Tân Thanh.")
    page.click("main button.primary[type=submit]")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Giao việc", exact=True).click()
    page.fill("#id_title", "Lắp biển báo phân luồng tại bãi xe chờ xuất")
    page.select_option("#id_owner_unit", label="Trung tâm Quản lý cửa khẩu Tân Thanh")
    page.fill("#id_due_date", today.isoformat())
    page.click("main button.primary[type=submit]")
    page.wait_for_load_state("networkidle")
    action = Action.objects.get(title="Lắp biển báo phân luồng tại bãi xe chờ xuất")
    row = page.locator(f"[data-testid=action-{action.pk}]")
    assert "overdue" not in (row.get_attribute("class") or "")
    assert row.locator("[data-testid=overdue-badge]").count() == 0
    # Two days pass without a report.
    Action.objects.filter(pk=action.pk).update(due_date=today - datetime.timedelta(days=2))
    page.goto(f"{live_server.url}/plans/actions/?overdue=1")
    row = page.locator(f"[data-testid=action-{action.pk}]")
    assert "overdue" in row.get_attribute("class")
    assert row.locator("[data-testid=overdue-badge]").inner_text() == "Quá hạn"
    background = row.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(254, 242, 242)"  # the overdue row's red tint from plans.css
    shot(page, "plans-overdue-action")
    page.goto(f"{live_server.url}/plans/")
    assert page.locator("[data-testid=overdue-actions-alert]").is_visible()
    # The owner unit sees it on its own page.
    page.goto(f"{live_server.url}/plans/units/ttqlck-tan-thanh/")
    assert int(page.locator("[data-testid=unit-actions-overdue]").inner_text()) >= 1

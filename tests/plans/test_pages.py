"""The pages: forms through the services, errors on the form (400), overdue actions standing out."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.models import AuditEvent
from cuakhau.plans.models import Evidence, Plan, Task
from tests.factories import directive_with_action, evidence_upload, plan_with_tasks

pytestmark = pytest.mark.django_db


def test_leader_creates_a_plan_adds_a_task_and_issues_it(world, client):
    client.force_login(world.users["board_leader"])
    assert client.post("/plans/new/", {"year": "2018"}).status_code == 302
    assert client.post("/plans/new/", {"year": "2018"}).status_code == 400
    response = client.post(
        "/plans/2018/tasks/new/",
        {
            "kind": "solution",
            "title": "Đấu giá",
            "lead_unit": world.planning.pk,
            "cooperating_units": [world.planning.pk],
        },
    )
    assert response.status_code == 400 and "đã là đơn vị chủ trì" in response.content.decode()
    response = client.post(
        "/plans/2018/tasks/new/",
        {"kind": "solution", "title": "Đấu giá", "lead_unit": world.planning.pk, "deadline": "2018-06-30"},
    )
    assert response.status_code == 302
    assert client.post("/plans/2018/activate/").status_code == 302
    assert Plan.objects.get(year=2018).status == "active"
    page = client.get("/plans/2018/").content.decode()
    assert "Đấu giá" in page and "30/06/2018" in page and "2.018" not in page


def test_evaluation_page_refuses_an_open_plan_and_shows_the_line_after(world, client):
    plan, tasks = plan_with_tasks(2017, n=7, lead_unit=world.planning)
    client.force_login(world.users["department_staff"])
    data = {f"evaluation_{t.pk}": "unclear" for t in tasks} | {f"evaluation_{tasks[0].pk}": "clear"}
    refused = client.post("/plans/2017/evaluation/", data)
    assert refused.status_code == 400 and "chưa kết thúc" in refused.content.decode()
    assert client.post("/plans/2017/close/").status_code == 302
    assert client.post("/plans/2017/evaluation/", data).status_code == 302
    page = client.get("/plans/2017/").content.decode()
    assert (
        "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
        "không có nhiệm vụ không hoàn thành"
    ) in page
    assert "1/7 nhiệm vụ hoàn thành có kết quả rõ nét" in client.get("/plans/").content.decode()


def test_progress_with_evidence_through_the_page_and_download_in_scope_only(world, client, media):
    _plan, (task,) = plan_with_tasks(2018, n=1, lead_unit=world.huu_nghi)
    client.force_login(world.users["huu_nghi"])
    response = client.post(
        f"/plans/tasks/{task.pk}/progress/",
        {
            "status": "in_progress",
            "percent": "50",
            "note": "Đã họp",
            "files": [evidence_upload("pdf"), evidence_upload("docx")],
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 2
    bad = client.post(
        f"/plans/tasks/{task.pk}/progress/",
        {
            "status": "in_progress",
            "percent": "60",
            "note": "x",
            "files": [evidence_upload("pdf", name="a.svg")],
        },
    )
    assert bad.status_code == 400 and "chỉ nhận PDF" in bad.content.decode()
    evidence = Evidence.objects.first()
    download = client.get(f"/plans/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    client.force_login(world.users["coc_nam"])
    assert client.get(f"/plans/evidence/{evidence.pk}/").status_code == 404
    assert Task.objects.get(pk=task.pk).percent == 50


def test_overdue_actions_stand_out(world, client):
    _d, late = directive_with_action(
        world.huu_nghi, due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    _d2, later = directive_with_action(
        world.planning, due_date=timezone.localdate() + datetime.timedelta(days=20)
    )
    client.force_login(world.users["board_leader"])
    page = client.get("/plans/actions/").content.decode()
    late_row = page.split(f'data-testid="action-{late.pk}"')[0].rsplit("<tr", 1)[1]
    later_row = page.split(f'data-testid="action-{later.pk}"')[0].rsplit("<tr", 1)[1]
    assert "overdue" in late_row and "overdue" not in later_row
    only = client.get("/plans/actions/?overdue=1").content.decode()
    assert f"action-{late.pk}" in only and f"action-{later.pk}" not in only
    assert 'data-testid="overdue-actions-alert"' in client.get("/plans/").content.decode()
    units = client.get("/plans/units/").content.decode()
    assert world.huu_nghi.name in units


def test_manager_cancels_and_reschedules_from_the_page(world, client):
    _d, action = directive_with_action(
        world.huu_nghi, due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(world.users["department_staff"])
    bad = client.post(f"/plans/actions/{action.pk}/reschedule/", {"due_date": "", "reason": ""})
    assert bad.status_code == 400
    new_date = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert (
        client.post(
            f"/plans/actions/{action.pk}/reschedule/", {"due_date": new_date, "reason": "Chờ"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/plans/actions/{action.pk}/update/", {"status": "cancelled", "note": "Không còn cần"}
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "cancelled"
    refused = client.post(f"/plans/actions/{action.pk}/update/", {"status": "in_progress", "note": "Mở lại"})
    assert refused.status_code == 400 and "không cập nhật được nữa" in refused.content.decode()
    assert AuditEvent.objects.filter(action__startswith="plans.action.").count() == 3


def test_the_plan_page_offers_its_steps_and_asks_before_closing_the_year(world, client):
    plan_with_tasks(2018, n=1, lead_unit=world.planning, status="active")
    client.force_login(world.users["board_leader"])
    page = client.get("/plans/2018/").content.decode()
    assert 'action="/plans/2018/close/"' in page and 'data-confirm="Kết thúc năm kế hoạch?' in page
    assert "/plans/2018/activate/" not in page
    client.force_login(world.users["inspector"])
    assert "/plans/2018/close/" not in client.get("/plans/2018/").content.decode()

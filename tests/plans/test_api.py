"""/api/v1/plans: the same services as the pages; refused writes answer 422 naming the field."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.models import AuditEvent
from cuakhau.plans.models import Plan, Task

pytestmark = pytest.mark.django_db

SEED_LINE = (
    "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét, "
    "không có nhiệm vụ không hoàn thành"
)


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_enter_the_2017_plan_and_evaluation_through_the_api(world, client):
    client.force_login(world.users["department_staff"])
    assert _post(client, "/api/v1/plans/plans", {"year": 2017, "reference": "05/KH"}).status_code == 201
    ids = []
    for i in range(7):
        response = _post(
            client,
            "/api/v1/plans/plans/2017/tasks",
            {
                "title": f"Nhiệm vụ {i + 1}",
                "lead_unit": "phong-ke-hoach",
                "cooperating_units": ["ttqlck-huu-nghi"],
                "deadline": "2017-12-31",
            },
        )
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])
    assert response.json()["cooperating_units"] == ["ttqlck-huu-nghi"] and response.json()["number"] == 7
    bad_unit = _post(client, "/api/v1/plans/plans/2017/tasks", {"title": "X", "lead_unit": "khong-co"})
    assert bad_unit.status_code == 422 and bad_unit.json()["errors"][0]["field"] == "lead_unit"
    assert _post(client, "/api/v1/plans/plans/2017/activate").json()["status"] == "active"
    evaluation = {"tasks": [{"task": pk, "evaluation": "unclear"} for pk in ids]}
    evaluation["tasks"][0]["evaluation"] = "clear"
    early = _post(client, "/api/v1/plans/plans/2017/evaluation", evaluation)
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "evaluation" and "chưa kết thúc" in early.json()["detail"]
    assert _post(client, "/api/v1/plans/plans/2017/close").json()["status"] == "closed"
    done = _post(client, "/api/v1/plans/plans/2017/evaluation", evaluation | {"reference": "TB/UBND"})
    assert done.status_code == 200 and done.json()["line"] == SEED_LINE and done.json()["complete"] is True
    client.force_login(world.users["provincial_leader"])
    assert client.get("/api/v1/plans/plans/2017/evaluation").json()["line"] == SEED_LINE
    assert (
        _post(client, f"/api/v1/plans/tasks/{ids[0]}/evaluation", {"evaluation": "not_completed"}).status_code
        == 403
    )
    assert Task.objects.get(pk=ids[0]).evaluation == "clear"


def test_unit_reports_progress_through_the_api_and_refused_steps_name_the_field(world, client):
    client.force_login(world.users["board_leader"])
    _post(client, "/api/v1/plans/plans", {"year": 2018})
    task_id = _post(
        client, "/api/v1/plans/plans/2018/tasks", {"title": "A", "lead_unit": "ttqlck-huu-nghi"}
    ).json()["id"]
    client.force_login(world.users["huu_nghi"])
    draft = _post(client, f"/api/v1/plans/tasks/{task_id}/progress", {"note": "Bắt đầu"})
    assert draft.status_code == 422 and draft.json()["errors"][0]["field"] == "status"
    Plan.objects.filter(year=2018).update(status="active")
    ok = _post(client, f"/api/v1/plans/tasks/{task_id}/progress", {"note": "Bắt đầu", "percent": 20})
    assert ok.status_code == 201 and ok.json()["status"] == "in_progress"
    wrong = _post(client, f"/api/v1/plans/tasks/{task_id}/progress", {"note": "x", "percent": 101})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "percent"
    assert _post(client, "/api/v1/plans/plans", {"year": 2019}).status_code == 403
    client.force_login(world.users["coc_nam"])
    assert client.get(f"/api/v1/plans/tasks/{task_id}").status_code == 404
    assert _post(client, f"/api/v1/plans/tasks/{task_id}/progress", {"note": "x"}).status_code == 404


def test_directives_and_actions_through_the_api(world, client):
    client.force_login(world.users["board_leader"])
    given = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    directive = _post(
        client,
        "/api/v1/plans/directives",
        {
            "leader": "Phó Chủ tịch UBND tỉnh",
            "given_on": given,
            "meeting": "Hội nghị",
            "text": "Đấu giá quyền thuê",
        },
    )
    assert directive.status_code == 201
    did = directive.json()["id"]
    overdue_day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    action = _post(
        client,
        f"/api/v1/plans/directives/{did}/actions",
        {"title": "Đấu giá", "owner_unit": "ttqlck-huu-nghi", "due_date": overdue_day},
    )
    assert action.status_code == 201 and action.json()["overdue"] is True
    aid = action.json()["id"]
    assert [a["id"] for a in client.get("/api/v1/plans/actions?overdue=true").json()] == [aid]
    client.force_login(world.users["huu_nghi"])
    done = _post(
        client,
        f"/api/v1/plans/actions/{aid}/updates",
        {"note": "Xong", "status": "done", "result": "Đã đấu giá"},
    )
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["overdue"] is False
    again = _post(client, f"/api/v1/plans/actions/{aid}/updates", {"note": "Thêm"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "status"
    assert "Đã hoàn thành" in again.json()["detail"]
    assert client.get("/api/v1/plans/actions?overdue=true").json() == []
    assert AuditEvent.objects.filter(action="plans.action.complete").count() == 1


@pytest.mark.parametrize("role", ["enterprise", "driver"])
def test_enterprises_and_drivers_get_404_everywhere(world, client, role):
    client.force_login(world.users[role])
    for url in (
        "/api/v1/plans/plans",
        "/api/v1/plans/directives",
        "/api/v1/plans/actions",
        "/api/v1/plans/plans/2017",
    ):
        assert client.get(url).status_code == 404, url
    assert _post(client, "/api/v1/plans/plans", {"year": 2030}).status_code == 404


def test_anonymous_gets_401(client, world):
    assert client.get("/api/v1/plans/plans").status_code == 401

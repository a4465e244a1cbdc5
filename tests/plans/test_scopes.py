"""Who sees and updates which plans, tasks, directives and actions. Out of scope is 404."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.permissions import CHANGE, VIEW
from cuakhau.plans.models import Action, Directive, Plan, Task
from cuakhau.plans.permissions import PROGRESS
from tests.factories import directive_with_action, plan_with_tasks

pytestmark = pytest.mark.django_db

# role -> (sees the Hữu Nghị-led task, sees the planning-led task Tân Thanh cooperates on)
VISIBLE = {
    "board_leader": (True, True),
    "department_staff": (True, True),
    "admin": (True, True),
    "inspector": (True, True),
    "provincial_leader": (True, True),
    "huu_nghi": (True, False),
    "tan_thanh": (False, True),
    "coc_nam": (False, False),
    "agency": (False, False),
    "enterprise": (False, False),
    "driver": (False, False),
}
MANAGERS = {"board_leader", "department_staff", "admin"}


@pytest.fixture
def setup(world):
    plan, (led, coop) = plan_with_tasks(2018, n=2, lead_unit=world.huu_nghi)
    from cuakhau.plans import services

    services.task_update(actor=None, task=coop, lead_unit=world.planning, cooperating_units=[world.tan_thanh])
    _d, action = directive_with_action(
        world.huu_nghi, due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    return plan, led, coop, action


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_scopes(world, setup, role):
    plan, led, coop, action = setup
    user = world.users[role]
    sees_led, sees_coop = VISIBLE[role]
    assert set(Task.objects.for_user(user)) == {t for t, ok in ((led, sees_led), (coop, sees_coop)) if ok}
    assert Plan.objects.for_user(user).exists() == (sees_led or sees_coop)
    assert Task.objects.for_user(user, PROGRESS).filter(pk=led.pk).exists() == (
        sees_led and role not in {"inspector", "provincial_leader"}
    )
    assert Task.objects.for_user(user, CHANGE).exists() == (role in MANAGERS)
    assert Action.objects.for_user(user).filter(pk=action.pk).exists() == (sees_led)
    assert Directive.objects.for_user(user, VIEW).exists() == sees_led
    assert Action.objects.for_user(user, PROGRESS).exists() == (
        sees_led and role not in {"inspector", "provincial_leader"}
    )


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_pages_answer_404_out_of_scope(world, setup, client, role):
    plan, led, coop, action = setup
    client.force_login(world.users[role])
    sees_led, sees_coop = VISIBLE[role]
    assert client.get(f"/plans/tasks/{led.pk}/").status_code == (200 if sees_led else 404)
    assert client.get(f"/plans/tasks/{coop.pk}/").status_code == (200 if sees_coop else 404)
    assert client.get("/plans/2018/").status_code == (200 if sees_led or sees_coop else 404)
    assert client.get(f"/plans/actions/{action.pk}/").status_code == (200 if sees_led else 404)
    assert client.get(f"/plans/directives/{action.directive_id}/").status_code == (200 if sees_led else 404)
    assert client.get("/plans/2018/evaluation/").status_code == (200 if role in MANAGERS else 404)
    assert client.get(f"/plans/tasks/{led.pk}/edit/").status_code == (200 if role in MANAGERS else 404)
    assert client.get("/plans/units/ttqlck-huu-nghi/").status_code == (
        200 if role in MANAGERS | {"inspector", "provincial_leader", "huu_nghi"} else 404
    )


def test_a_cooperating_unit_reports_progress_and_another_unit_gets_404(world, setup, client):
    _plan, led, coop, _action = setup
    client.force_login(world.users["tan_thanh"])
    response = client.post(
        f"/plans/tasks/{coop.pk}/progress/", {"status": "in_progress", "percent": "40", "note": "Đã phối hợp"}
    )
    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.percent == 40 and coop.updates.get().unit == world.tan_thanh
    response = client.post(f"/plans/tasks/{led.pk}/progress/", {"status": "in_progress", "note": "x"})
    assert response.status_code == 404
    client.force_login(world.users["inspector"])
    assert (
        client.post(f"/plans/tasks/{led.pk}/progress/", {"status": "in_progress", "note": "x"}).status_code
        == 404
    )
    led.refresh_from_db()
    assert led.updates.count() == 0


def test_unit_staff_update_their_action_but_not_cancel_it(world, setup, client):
    *_, action = setup
    client.force_login(world.users["huu_nghi"])
    page = client.get(f"/plans/actions/{action.pk}/")
    assert 'value="cancelled"' not in page.content.decode()
    assert (
        client.post(f"/plans/actions/{action.pk}/update/", {"status": "cancelled", "note": "x"}).status_code
        == 400
    )
    response = client.post(
        f"/plans/actions/{action.pk}/update/", {"status": "in_progress", "note": "Đang làm"}
    )
    assert response.status_code == 302
    client.force_login(world.users["tan_thanh"])
    assert (
        client.post(
            f"/plans/actions/{action.pk}/update/", {"status": "done", "note": "x", "result": "y"}
        ).status_code
        == 404
    )
    action.refresh_from_db()
    assert action.status == "in_progress"

"""Reminders to the lead unit before a deadline: the service, the task and the command."""

import datetime
import io

import pytest
from django.core.management import call_command

from cuakhau.core.models import AuditEvent
from cuakhau.core.workcal import add_working_days
from cuakhau.plans import services
from cuakhau.plans.models import Notification, TaskStatus
from cuakhau.plans.tasks import send_deadline_reminders
from tests.factories import UserFactory, directive_with_action, plan_with_tasks

pytestmark = pytest.mark.django_db

# A Monday with no holiday around it: five working days later is the next Monday.
MONDAY = datetime.date(2025, 10, 6)


def _messages(user):
    return sorted(Notification.objects.for_user(user).values_list("message", flat=True))


def test_lead_unit_staff_are_reminded_once_before_the_deadline(world):
    deadline = add_working_days(MONDAY, 5)
    assert deadline == datetime.date(2025, 10, 13)
    _plan, (task, far) = plan_with_tasks(
        2025, n=2, lead_unit=world.huu_nghi, cooperating=[world.tan_thanh], deadline=deadline
    )
    services.task_update(
        actor=None, task=far, deadline=datetime.date(2025, 10, 14)
    )  # six working days: not yet
    colleague = UserFactory(role="gate_cashier", unit=world.huu_nghi)
    counts = services.reminders_send(actor=None, today=MONDAY)
    assert counts == {"subjects": 1, "created": 2, "already_sent": 0}
    for user in (world.users["huu_nghi"], colleague):
        assert _messages(user) == [
            "Sắp đến hạn: nhiệm vụ “Nhiệm vụ thử 1” (kế hoạch năm 2025) hạn ngày 13/10/2025, còn 5 ngày làm việc."
        ]
        assert Notification.objects.get(user=user).url == f"/plans/tasks/{task.pk}/"
    assert _messages(world.users["tan_thanh"]) == []  # cooperating units are not the lead
    # Next day: the first task is not reminded again; the second has come within five working days.
    assert services.reminders_send(actor=None, today=MONDAY + datetime.timedelta(days=1)) == {
        "subjects": 2,
        "created": 2,
        "already_sent": 2,
    }
    assert services.reminders_send(actor=None, today=MONDAY + datetime.timedelta(days=1))["created"] == 0
    assert AuditEvent.objects.filter(action="plans.notification.remind").count() == 2


def test_overdue_reminder_and_none_for_done_or_draft(world):
    _plan, (late, done) = plan_with_tasks(
        2025, n=2, lead_unit=world.huu_nghi, deadline=datetime.date(2025, 10, 1)
    )
    services.task_report_progress(actor=None, task=done, note="Xong", status=TaskStatus.DONE)
    plan_with_tasks(2024, n=1, lead_unit=world.huu_nghi, status="draft", deadline=datetime.date(2025, 10, 7))
    services.reminders_send(actor=None, today=MONDAY)
    assert _messages(world.users["huu_nghi"]) == [
        "Quá hạn: nhiệm vụ “Nhiệm vụ thử 1” (kế hoạch năm 2025) hết hạn ngày 01/10/2025."
    ]
    assert late.pk != done.pk


def test_a_moved_deadline_is_a_new_reminder(world):
    _plan, (task,) = plan_with_tasks(2025, n=1, lead_unit=world.huu_nghi, deadline=datetime.date(2025, 10, 8))
    services.reminders_send(actor=None, today=MONDAY)
    services.task_update(actor=None, task=task, deadline=datetime.date(2025, 10, 10))
    assert services.reminders_send(actor=None, today=MONDAY)["created"] == 1
    assert Notification.objects.filter(user=world.users["huu_nghi"]).count() == 2


def test_actions_remind_their_owner_unit(world):
    directive_with_action(
        world.huu_nghi, due_date=datetime.date(2025, 10, 9), given_on=datetime.date(2025, 9, 1)
    )
    services.reminders_send(actor=None, today=MONDAY)
    (message,) = _messages(world.users["huu_nghi"])
    assert message.startswith("Sắp đến hạn: việc “Việc thử nghiệm” theo chỉ đạo của Phó Chủ tịch UBND tỉnh")
    assert "còn 3 ngày làm việc" in message


def test_the_background_task_and_the_command(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    plan_with_tasks(2025, n=1, lead_unit=world.huu_nghi, deadline=datetime.date(2025, 10, 8))
    result = send_deadline_reminders.enqueue(MONDAY.isoformat())
    assert result.return_value["created"] == 1
    out = io.StringIO()
    call_command("plans", "remind", "--date", MONDAY.isoformat(), stdout=out)
    assert "0 reminders sent, 1 already sent" in out.getvalue()
    event = AuditEvent.objects.get(action="plans.notification.remind")
    assert event.channel == "task"


def test_the_command_enqueues_the_task_or_refuses_a_bad_date(world, settings):
    from django.core.management.base import CommandError

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    plan_with_tasks(2025, n=1, lead_unit=world.huu_nghi, deadline=datetime.date(2025, 10, 8))
    out = io.StringIO()
    call_command("plans", "remind", "--date", MONDAY.isoformat(), "--enqueue", stdout=out)
    assert out.getvalue().startswith("enqueued ")
    # The task ran for the day given, on its own channel.
    assert AuditEvent.objects.get(action="plans.notification.remind").channel == "task"
    assert len(_messages(world.users["huu_nghi"])) == 1
    with pytest.raises(CommandError, match="--date: '6/10/2025' is not a date"):
        call_command("plans", "remind", "--date", "6/10/2025")


def test_marking_notifications_read(world, client):
    plan_with_tasks(2025, n=1, lead_unit=world.huu_nghi, deadline=datetime.date(2025, 10, 8))
    services.reminders_send(actor=None, today=MONDAY)
    user = world.users["huu_nghi"]
    client.force_login(user)
    page = client.get("/plans/notifications/")
    assert "Sắp đến hạn" in page.content.decode() and page.status_code == 200
    response = client.post("/plans/notifications/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'class="unread"' not in response.content.decode()
    assert Notification.objects.for_user(user).unread().count() == 0
    assert AuditEvent.objects.filter(action="plans.notification.read").count() == 1


def test_notifications_come_a_page_at_a_time(world, client):
    user = world.users["huu_nghi"]
    Notification.objects.bulk_create(
        Notification(user=user, key=f"k{i}", message=f"Thông báo số {i:03d}") for i in range(51)
    )
    client.force_login(user)
    first = client.get("/plans/notifications/").content.decode()
    assert first.count("Thông báo số") == 50 and "page=2" in first
    second = client.get("/plans/notifications/?page=2").content.decode()
    assert second.count("Thông báo số") == 1 and "page=1" in second and "page=3" not in second

"""Directives become tracked actions: owner, due date, state; overdue ones stand out; the year-end
report lists their state."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.plans import services
from cuakhau.plans.models import Action, ActionStatus
from cuakhau.plans.selectors import directive_action_states
from tests.factories import directive_with_action

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_directive_and_action_are_recorded_with_one_event_each(world):
    directive, action = directive_with_action(world.huu_nghi, due_date=TODAY() + datetime.timedelta(days=10))
    assert action.number == 1 and action.status == ActionStatus.OPEN and not action.is_overdue()
    second = services.action_add(
        actor=None,
        directive=directive,
        title="Việc 2",
        owner_unit=world.planning,
        due_date=TODAY(),
        cooperating_units=[world.tan_thanh],
    )
    assert second.number == 2 and [u.code for u in second.cooperating_units.all()] == ["ttqlck-tan-thanh"]
    assert AuditEvent.objects.filter(action="plans.directive.create").count() == 1
    assert AuditEvent.objects.filter(action="plans.action.add").count() == 2


def test_bad_directive_and_action_input_names_the_field(world):
    with pytest.raises(ServiceError) as exc:
        services.directive_create(actor=None, leader="", given_on=TODAY(), text="x")
    assert exc.value.field == "leader"
    with pytest.raises(ServiceError) as exc:
        services.directive_create(
            actor=None, leader="A", given_on=TODAY() + datetime.timedelta(days=1), text="x"
        )
    assert exc.value.field == "given_on"
    directive, _ = directive_with_action(world.huu_nghi, due_date=TODAY())
    with pytest.raises(ServiceError) as exc:
        services.action_add(
            actor=None,
            directive=directive,
            title="x",
            owner_unit=world.huu_nghi,
            due_date=directive.given_on - datetime.timedelta(days=1),
        )
    assert exc.value.field == "due_date" and "trước ngày chỉ đạo" in exc.value.messages[0]


def test_overdue_actions_are_the_unfinished_ones_past_their_date(world):
    _, late = directive_with_action(world.huu_nghi, due_date=TODAY() - datetime.timedelta(days=1))
    _, due_today = directive_with_action(world.huu_nghi, due_date=TODAY())
    _, done_late = directive_with_action(world.huu_nghi, due_date=TODAY() - datetime.timedelta(days=5))
    services.action_update(
        actor=None, action=done_late, status=ActionStatus.DONE, note="Xong", result="Đã làm"
    )
    assert set(Action.objects.overdue()) == {late}
    assert late.is_overdue() and not due_today.is_overdue()
    done_late.refresh_from_db()
    assert done_late.finished_late and not done_late.is_overdue()


def test_a_finished_action_takes_no_more_updates(world):
    _, action = directive_with_action(world.huu_nghi, due_date=TODAY())
    services.action_update(actor=None, action=action, status=ActionStatus.IN_PROGRESS, note="Bắt đầu")
    with pytest.raises(ServiceError) as exc:
        services.action_update(actor=None, action=action, status=ActionStatus.DONE, note="Xong")
    assert exc.value.field == "result"
    services.action_update(
        actor=None, action=action, status=ActionStatus.DONE, note="Xong", result="Đã tổ chức đấu giá"
    )
    with pytest.raises(ServiceError) as exc:
        services.action_update(actor=None, action=action, note="Thêm")
    assert exc.value.field == "status"
    assert exc.value.messages[0].startswith("Việc này đã ở trạng thái “Đã hoàn thành”")
    with pytest.raises(ServiceError) as exc:
        services.action_reschedule(actor=None, action=action, due_date=TODAY(), reason="x")
    assert exc.value.field == "due_date"
    assert action.updates.count() == 2
    assert AuditEvent.objects.filter(action__in=["plans.action.start", "plans.action.complete"]).count() == 2


def test_status_cannot_go_back_and_only_managers_cancel(world):
    _, action = directive_with_action(world.huu_nghi, due_date=TODAY())
    services.action_update(actor=None, action=action, status=ActionStatus.IN_PROGRESS, note="Bắt đầu")
    with pytest.raises(ServiceError) as exc:
        services.action_update(actor=None, action=action, status=ActionStatus.OPEN, note="Lùi")
    assert exc.value.field == "status"
    with pytest.raises(ServiceError) as exc:
        services.action_update(
            actor=world.users["huu_nghi"], action=action, status=ActionStatus.CANCELLED, note="Hủy"
        )
    assert exc.value.field == "status" and "hủy" in exc.value.messages[0]
    services.action_update(
        actor=world.users["department_staff"], action=action, status=ActionStatus.CANCELLED, note="Hủy"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED and not action.is_overdue()


def test_reschedule_moves_the_due_date_with_a_reason(world):
    _, action = directive_with_action(world.huu_nghi, due_date=TODAY() - datetime.timedelta(days=3))
    assert action.is_overdue()
    with pytest.raises(ServiceError) as exc:
        services.action_reschedule(
            actor=None, action=action, due_date=TODAY() + datetime.timedelta(days=30), reason=""
        )
    assert exc.value.field == "reason"
    action = services.action_reschedule(
        actor=None, action=action, due_date=TODAY() + datetime.timedelta(days=30), reason="Chờ phía bạn"
    )
    assert not action.is_overdue() and "Chờ phía bạn" in action.updates.first().note


def test_directive_action_states_for_the_year_end_report(world):
    given = datetime.date(2018, 1, 15)
    directive, on_time = directive_with_action(
        world.planning, given_on=given, due_date=datetime.date(2018, 6, 30)
    )
    late = services.action_add(
        actor=None,
        directive=directive,
        title="Muộn",
        owner_unit=world.planning,
        due_date=datetime.date(2018, 3, 31),
    )
    open_ = services.action_add(
        actor=None,
        directive=directive,
        title="Mở",
        owner_unit=world.huu_nghi,
        due_date=datetime.date(2018, 12, 31),
    )
    services.action_update(
        actor=None,
        action=on_time,
        status="done",
        note="x",
        result="y",
        completed_on=datetime.date(2018, 6, 1),
    )
    services.action_update(
        actor=None, action=late, status="done", note="x", result="y", completed_on=datetime.date(2018, 8, 1)
    )
    (row,) = directive_action_states(
        user=world.users["board_leader"], year=2018, today=datetime.date(2019, 1, 10)
    )
    assert [a["state"] for a in row["actions"]] == ["done", "done_late", "overdue"]
    assert row["counts"]["overdue"] == 1 and row["counts"]["done"] == 1 and row["counts"]["done_late"] == 1
    assert row["actions"][2]["state_label"] == "quá hạn"
    assert directive_action_states(user=world.users["board_leader"], year=2017) == []
    # A gate centre's staff see only their own action of the directive.
    (mine,) = directive_action_states(
        user=world.users["huu_nghi"], year=2018, today=datetime.date(2019, 1, 10)
    )
    assert [a["action"] for a in mine["actions"]] == [open_]
    assert directive_action_states(user=world.users["enterprise"], year=2018) == []

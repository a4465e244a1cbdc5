"""The nightly job that completes trips a day after they crossed, through declaration_complete."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cuakhau.core.models import AuditEvent
from cuakhau.traffic.closing import crossed_close
from cuakhau.traffic.models import Declaration, Status

pytestmark = pytest.mark.django_db


def _crossed(declaration, hours_ago):
    Declaration.objects.filter(pk=declaration.pk).update(
        status=Status.CROSSED, crossed_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )


def test_trips_crossed_more_than_a_day_ago_are_completed_one_audit_event_each(trip, approved):
    _crossed(approved, hours_ago=30)
    assert crossed_close() == 1
    approved.refresh_from_db()
    assert approved.status == Status.COMPLETED and approved.completed_at
    events = AuditEvent.objects.filter(action="traffic.declaration.complete", object_id=str(approved.pk))
    assert events.count() == 1
    assert crossed_close() == 0  # nothing left: running it twice changes nothing


def test_a_trip_that_crossed_today_stays_crossed(trip, approved):
    _crossed(approved, hours_ago=3)
    assert crossed_close() == 0
    approved.refresh_from_db()
    assert approved.status == Status.CROSSED and approved.completed_at is None
    assert crossed_close(after=datetime.timedelta(hours=2)) == 1


def test_the_command_closes_and_refuses_a_bad_window(trip, approved, capsys):
    from django.core.management.base import CommandError

    _crossed(approved, hours_ago=30)
    call_command("traffic", "close-crossed")
    assert "1 crossed trips completed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--hours"):
        call_command("traffic", "close-crossed", "--hours", "0")

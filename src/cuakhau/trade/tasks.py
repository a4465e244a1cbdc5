"""Background work for trade (django-tasks, database backend; `cuakhau db_worker` runs it)."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_import(batch_id: int) -> str:
    """Run a web import to its end when a worker is running; the progress page's polls do the same
    work chunk by chunk when none is (both lock the batch row for each chunk)."""
    from .services import batch_run

    return batch_run(actor=None, batch_id=batch_id).status


@task()
def refresh_computed_turnover(start: str, end: str) -> dict:
    """Rebuild the computed turnover (source (a)) for the months between two ISO dates, from the
    traffic app's declarations, as the system. Enqueued a short while after trips cross (see
    `on_trips_crossed`) and nightly by `cuakhau trade refresh --enqueue` (the catch-up)."""
    from cuakhau.core.context import acting_as

    from .services import computed_refresh

    with acting_as(None, channel="task"):
        return computed_refresh(
            actor=None, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)
        )


# --- refreshing after trips cross -----------------------------------------------------------------
#
# A gate-out that makes a trip crossed announces it after its commit (core.hooks.TRIPS_CROSSED). A
# refresh rebuilds a whole month, so it is not run for every truck: the first crossing of a month in
# a process enqueues one refresh to run REFRESH_DELAY later, and every crossing committed before then
# is covered by it (the task reads after its run_after, so after their commits) and enqueues nothing.
# Processes share the refresh already waiting in the queue. The cost on the gate-event path is a
# dictionary lookup, and one INSERT per month and process every REFRESH_DELAY.

REFRESH_DELAY = dt.timedelta(seconds=60)
# A waiting refresh covers a commit only if it starts this much after it (clock skew between the web
# servers and the worker's machine).
MARGIN = dt.timedelta(seconds=5)

_due: dict[dt.date, dt.datetime] = {}  # month -> when the refresh this process counts on runs
_lock = threading.Lock()


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def _waiting_refresh(start: str, now: dt.datetime) -> dt.datetime | None:
    """When a refresh of the month that another process enqueued runs, if it has not started and
    starts late enough to cover a commit made now."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path=refresh_computed_turnover.module_path,
            run_after__gt=now + MARGIN,
            args_kwargs__args__0=start,
        )
        .order_by("-run_after")
        .values_list("run_after", flat=True)
        .first()
    )


def schedule_computed_refresh(day: dt.date, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Make sure a refresh of `day`'s month runs after now (the caller's changes are committed).
    Returns when the refresh enqueued or found runs, or None when one this process counts on already
    covers now."""
    now = now or timezone.now()
    first, last = month_bounds(day)
    with _lock:
        due = _due.get(first)
        if due is not None and now + MARGIN < due:
            return None
        _due[first] = now + REFRESH_DELAY  # claimed: this process's other threads skip meanwhile
    try:
        due = _waiting_refresh(first.isoformat(), now)
        if due is None:
            due = now + REFRESH_DELAY
            refresh_computed_turnover.using(run_after=due).enqueue(first.isoformat(), last.isoformat())
    except Exception:
        with _lock:
            _due.pop(first, None)  # the next crossing tries again; the nightly job catches up
        raise
    with _lock:
        _due[first] = due
    return due


def on_trips_crossed(*, gate_id: int, day: dt.date) -> None:
    """core.hooks.TRIPS_CROSSED listener (registered in TradeConfig.ready)."""
    schedule_computed_refresh(day)


def forget_scheduled() -> None:
    """Forget the refreshes this process counts on (tests; a process whose queue was emptied)."""
    with _lock:
        _due.clear()

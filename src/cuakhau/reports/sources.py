"""What the reports read from the other apps. `reports` is downstream of every app (it reads their
selectors; nothing reads reports), so it imports them directly, lazily, and only when the app is
installed: a zone that runs without incidents or plans still gets its report, without that
paragraph. Each function returns None for "no data for that period"."""

from __future__ import annotations

import datetime as dt

from django.apps import apps


def _installed(app: str) -> bool:
    return apps.is_installed(f"cuakhau.{app}")


def fee_revenue(*, start: dt.date, end: dt.date) -> int | None:
    """Fees collected (valid e-receipts), in đồng."""
    if not _installed("fees"):
        return None
    from cuakhau.fees.selectors import collected_total

    return collected_total(date_from=start, date_to=end)


def task_evaluation(*, year: int) -> dict | None:
    """The province's evaluation of the year's key tasks, once complete: total, clear_result,
    completed_unclear, not_completed."""
    if not _installed("plans"):
        return None
    from cuakhau.plans.selectors import key_task_counts

    return key_task_counts(year=year)


def next_tasks(*, year: int) -> list[str] | None:
    """The titles of the tasks in the plan of `year`."""
    if not _installed("plans"):
        return None
    from cuakhau.plans.selectors import next_year_tasks

    return next_year_tasks(year=year)


def directives(*, start: dt.date, end: dt.date) -> dict | None:
    """Leaders' directives given in the period and the state of their actions."""
    if not _installed("plans"):
        return None
    from cuakhau.plans.selectors import directive_year_summary

    return directive_year_summary(start=start, end=end)


def incidents(*, start: dt.date, end: dt.date) -> dict | None:
    """Incidents at the gate areas reported in the period: total, resolved, open, rejected, by_kind."""
    if not _installed("incidents"):
        return None
    from cuakhau.incidents.selectors import period_summary

    return period_summary(start=start, end=end)

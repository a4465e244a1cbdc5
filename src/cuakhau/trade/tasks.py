"""Background work for trade (django-tasks, database backend)."""

from django_tasks import task


@task()
def run_import(batch_id: int) -> str:
    """Run a web import to its end when a worker is running; the progress page's polls do the same
    work chunk by chunk when none is (both lock the batch row for each chunk)."""
    from .services import batch_run

    return batch_run(batch_id=batch_id).status


@task()
def refresh_computed_turnover(start: str, end: str) -> dict:
    """Rebuild the computed turnover (source (a)) for the months between two ISO dates, from the
    traffic app's declarations (run it after a day's crossings, e.g. nightly for the current month)."""
    import datetime as dt

    from .services import computed_refresh

    return computed_refresh(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))

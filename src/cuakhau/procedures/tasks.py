"""Background work for procedures: warn the handling units of dossiers due within a working day.
Enqueue daily (cron: `cuakhau procedures warn --enqueue`, or `cuakhau procedures warn` in place)."""

from django_tasks import task


@task()
def warn_due_dossiers(today: str | None = None) -> dict:
    import datetime

    from cuakhau.core.context import acting_as

    from .services import warnings_send

    day = datetime.date.fromisoformat(today) if today else None
    with acting_as(None, channel="task"):
        return warnings_send(actor=None, today=day)

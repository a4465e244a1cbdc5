"""Background work for plans: deadline reminders to the lead units. Enqueue daily (cron:
`cuakhau plans remind --enqueue`, or `cuakhau plans remind` to run in place)."""

from django_tasks import task


@task()
def send_deadline_reminders(today: str | None = None) -> dict:
    """Send the reminders due today (or on the ISO date given), as the system."""
    import datetime

    from cuakhau.core.context import acting_as

    from .services import reminders_send

    day = datetime.date.fromisoformat(today) if today else None
    with acting_as(None, channel="task"):
        return reminders_send(actor=None, today=day)

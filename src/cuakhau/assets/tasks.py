"""Background work for leases: rent reminders to the lessees and expiry warnings to the Board. Enqueue
daily (cron: `cuakhau assets remind --enqueue`, or `cuakhau assets remind` to run in place)."""

from django_tasks import task


@task()
def send_lease_reminders(today: str | None = None) -> dict:
    """The rent reminders and expiry warnings due today (or on the ISO date given), as the system."""
    import datetime

    from cuakhau.core.context import acting_as

    from .services import lease_expiry_warnings_send, rent_reminders_send

    day = datetime.date.fromisoformat(today) if today else None
    with acting_as(None, channel="task"):
        return {
            "rent_reminders": rent_reminders_send(actor=None, today=day),
            "expiry_warnings": lease_expiry_warnings_send(actor=None, today=day),
        }

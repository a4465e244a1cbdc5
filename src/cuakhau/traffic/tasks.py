"""Background work for traffic. Enqueue nightly (cron: `cuakhau traffic close-crossed --enqueue`, or
without --enqueue to run in place)."""

from django_tasks import task


@task()
def close_crossed_trips() -> int:
    """Complete the trips that crossed more than a day ago, as the system."""
    from cuakhau.core.context import acting_as

    from .services import crossed_close

    with acting_as(None, channel="task"):
        return crossed_close()

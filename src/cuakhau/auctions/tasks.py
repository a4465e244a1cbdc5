"""Background work: close live auctions whose time is up (the live page also closes them when a
bidder polls after the end). Rent reminders and lease expiry warnings are the assets app's
(`cuakhau.assets.tasks.send_lease_reminders`)."""

from django_tasks import task


@task()
def close_due_auctions() -> list[str]:
    from cuakhau.core.context import acting_as

    from .services import close_due

    with acting_as(None, channel="task"):
        return close_due(actor=None)

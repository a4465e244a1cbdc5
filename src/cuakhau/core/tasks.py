"""Background work for core."""

from django_tasks import task


@task()
def seal_audit_events() -> int:
    """The safety net behind the after-commit sealer: seals whatever is pending, waiting for the
    chain head if another sealer holds it. Enqueued when an after-commit seal fails or runs out of
    time; `cuakhau audit seal` does the same from cron."""
    from .audit_chain import seal_pending

    return seal_pending(wait=True)

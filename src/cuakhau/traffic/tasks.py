"""Background work for traffic. Enqueue nightly (cron: `cuakhau traffic close-crossed --enqueue`, or
without --enqueue to run in place)."""

from django_tasks import task


@task()
def close_crossed_trips() -> int:
    """Complete the trips that crossed more than a day ago, as the system."""
    from cuakhau.core.context import acting_as

    from .closing import crossed_close

    with acting_as(None, channel="task"):
        return crossed_close()


@task()
def run_upload(job_id: int) -> str:
    """Check and import a large declarations upload (services.upload.upload_run), as its uploader."""
    from cuakhau.core.context import acting_as

    from .models import UploadJob
    from .services.upload import upload_run

    job = UploadJob.objects.select_related("created_by").get(pk=job_id)
    with acting_as(job.created_by, channel="task"):
        return upload_run(actor=job.created_by, job_id=job_id).status

"""Background work of applications: importing a large transcript file with progress."""

from celery import shared_task

from exams.applications.transcripts import job_run


@shared_task(name="exams.applications.tasks.transcript_import_task")
def transcript_import_task(job_pk: int) -> None:
    job_run(job_pk=job_pk)

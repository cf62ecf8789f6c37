"""Background work of commissions: rendering documents and building the portfolio."""

from celery import shared_task

from commissions.papers.services import job_run


@shared_task(name="commissions.tasks.document_job_task")
def document_job_task(job_pk: int) -> None:
    job_run(job_pk=job_pk)

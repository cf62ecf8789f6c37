"""Background work of commissions: rendering large documents."""

from celery import shared_task


@shared_task(name="commissions.tasks.sitting_documents_task")
def sitting_documents_task(job_pk: int) -> None:
    from commissions.papers.services import job_run

    job_run(job_pk=job_pk)

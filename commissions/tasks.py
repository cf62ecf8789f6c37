"""Background work of commissions: rendering documents and building the portfolio; schedules built ahead."""

from celery import shared_task

from commissions import pages_ahead
from commissions.papers.services import job_run


@shared_task(name="commissions.tasks.document_job_task")
def document_job_task(job_pk: int) -> None:
    job_run(job_pk=job_pk)


@shared_task(name=pages_ahead.BUILD_TASK)
def schedule_build_task(user_ids: list[int]) -> int:
    """The schedules of the students a published timetable or a new place told, built ahead for their first visit;
    nothing to retry: a page not built is built by the student's own visit."""
    return pages_ahead.schedule_build(user_ids=user_ids)

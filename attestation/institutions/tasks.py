"""Background work of institutions: importing a large student file with progress."""

from celery import shared_task

from attestation.institutions.student_import import student_import_run

STUDENT_IMPORT_TASK = "attestation.institutions.tasks.student_import_task"


@shared_task(name=STUDENT_IMPORT_TASK)
def student_import_task(job_pk: int) -> None:
    student_import_run(job_pk=job_pk)

"""A documents job's progress, written as its parts are rendered; the page polls it (attestation.core.jobs)."""

from attestation.core.jobs import job_progress
from commissions.models import DocumentJob


def progress(job_pk: int, *, done: int | None = None, total: int | None = None) -> None:
    job_progress(DocumentJob, job_pk, done=done, total=total)

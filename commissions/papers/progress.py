"""A documents job's progress, written as its parts are rendered; the page polls it."""

from commissions.models import DocumentJob


def progress(job_pk: int, *, done: int | None = None, total: int | None = None) -> None:
    changes = {k: v for k, v in (("done", done), ("total", total)) if v is not None}
    DocumentJob.objects.filter(pk=job_pk).update(**changes)

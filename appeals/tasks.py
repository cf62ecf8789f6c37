from celery import shared_task
from django.utils import timezone

from appeals import pages_ahead
from attestation.core.deadlines import deadline_handle


@shared_task(name="appeals.tasks.appeal_amend_documents_task")
def appeal_amend_documents_task(deadline_pk: int) -> bool:
    """Amendments of the protocol and the grade sheet after an appeal changed the grade (rendered in the worker):
    handles the appeal's AMEND_DOCUMENTS deadline now; a second message, or the sweep, finds it claimed."""
    return deadline_handle(pk=deadline_pk, now=timezone.now())


@shared_task(name=pages_ahead.BUILD_TASK)
def student_pages_build_task(user_ids: list[int]) -> int:
    """The results pages and schedules of the students an announcement (or an amendment) concerns, built ahead for
    their first visit; nothing to retry: a page not built is built by the student's own visit."""
    return pages_ahead.student_pages_build(user_ids=user_ids)

from celery import shared_task
from django.utils import timezone

from attestation.core.deadlines import deadline_handle


@shared_task(name="appeals.tasks.appeal_amend_documents_task")
def appeal_amend_documents_task(deadline_pk: int) -> bool:
    """Amendments of the protocol and the grade sheet after an appeal changed the grade (rendered in the worker):
    handles the appeal's AMEND_DOCUMENTS deadline now; a second message, or the sweep, finds it claimed."""
    return deadline_handle(pk=deadline_pk, now=timezone.now())

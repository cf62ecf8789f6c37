from celery import shared_task


@shared_task(name="appeals.tasks.appeal_amend_documents_task", autoretry_for=(ConnectionError,), max_retries=3)
def appeal_amend_documents_task(appeal_pk: int) -> int:
    """Amendments of the protocol and the grade sheet after an appeal changed the grade (rendered in the worker)."""
    from appeals.services import appeal_amend_documents

    return appeal_amend_documents(appeal_pk=appeal_pk)

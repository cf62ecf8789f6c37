"""What happens when a commission's deadline comes due."""

from django.urls import reverse

from attestation.core.deadlines import deadline_handler
from attestation.core.jobs import job_kind, job_resend
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from commissions.models import DocumentJob, Slot
from commissions.services import SLOT_REMINDER

DOCUMENT_JOB_TASK = "commissions.tasks.document_job_task"  # commissions/tasks.py, which calls papers.services.job_run


@deadline_handler(SLOT_REMINDER)
def slot_reminder(deadline: Deadline) -> bool:
    """R12: the day before, the student gets the date, time and meeting link on the page and by e-mail."""
    slot = Slot.objects.select_related("student__user", "sitting__commission").filter(pk=deadline.object_id).first()
    if slot is None or slot.student.user is None:
        return False
    if slot.status not in (Slot.Status.SCHEDULED, Slot.Status.CONFIRMED) or slot.starts_at <= deadline.handled_at:
        return False  # postponed, or the worker caught up after the attestation: a reminder would mislead
    notify(
        user=slot.student.user,
        kind=SLOT_REMINDER,
        template="commissions/email/slot_reminder",
        context={"slot": slot, "sitting": slot.sitting, "commission": slot.sitting.commission},
        url=reverse("commissions:slot", args=[slot.pk]),
    )
    return True


# A documents job is one of the core's jobs: queued, resent by its deadline if its message is lost, claimed once.
job_kind(DocumentJob, task=DOCUMENT_JOB_TASK)
deadline_handler("commissions.document_job_resend")(job_resend)  # resend deadlines set before the core's jobs

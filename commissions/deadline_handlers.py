"""What happens when a commission's deadline comes due."""

from django.urls import reverse

from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from commissions.models import DocumentJob, Slot
from commissions.papers.services import JOB_RESEND
from commissions.services import SLOT_REMINDER
from commissions.tasks import document_job_task


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


@deadline_handler(JOB_RESEND)
def document_job_resend(deadline: Deadline) -> bool:
    """A documents job still queued at its resend time (the broker was down or lost the message) is sent again;
    sent here, not after commit, so a broker still down fails the claim and the next sweep tries again."""
    if not DocumentJob.objects.filter(pk=deadline.object_id, state=DocumentJob.State.QUEUED).exists():
        return False
    document_job_task.delay(deadline.object_id)
    return True

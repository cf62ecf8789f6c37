"""What happens when an "I" grade's warning, due date or the policy's cutoff comes due (R43)."""

from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from exams.applications import incompletes, transcripts


@deadline_handler(incompletes.INCOMPLETE_WARN)
def incomplete_warn(deadline: Deadline) -> bool:
    return incompletes.incomplete_warn(due_pk=deadline.object_id)


@deadline_handler(incompletes.INCOMPLETE_DUE)
def incomplete_due(deadline: Deadline) -> bool:
    return incompletes.incomplete_act(due_pk=deadline.object_id, now=deadline.handled_at)


@deadline_handler(incompletes.POLICY_CUTOFF)
def policy_cutoff(deadline: Deadline) -> bool:
    incompletes.policy_cutoff_act(policy_pk=deadline.object_id, now=deadline.handled_at)
    return True


@deadline_handler(transcripts.IMPORT_RESEND)
def transcript_import_resend(deadline: Deadline) -> bool:
    """Sent here, not after commit: a broker still down fails the handler and the next sweep tries again."""
    return transcripts.job_resend(job_pk=deadline.object_id)

"""What happens when an "I" grade's warning, due date or the policy's cutoff comes due (R43)."""

from attestation.core.deadlines import deadline_handler
from attestation.core.jobs import job_kind, job_resend
from attestation.core.models import Deadline
from exams.applications import incompletes
from exams.applications.models import TranscriptImport


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


# A transcript import is one of the core's jobs: queued, resent by its deadline if its message is lost, claimed once.
job_kind(TranscriptImport, task="exams.applications.tasks.transcript_import_task")  # calls transcripts.job_run
deadline_handler("applications.transcript_import_resend")(job_resend)  # resend deadlines set before the core's jobs

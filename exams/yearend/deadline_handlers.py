from django.utils import timezone

from attestation.core.deadlines import deadline_handler
from attestation.core.jobs import job_kind
from attestation.core.models import Deadline
from exams.yearend.models import Transfer
from exams.yearend.services import PACK_TASK, PORTFOLIO_LATE, portfolio_late_flag

# A transfer is one of the core's jobs: packed in the worker, resent by its deadline if the message is lost.
job_kind(Transfer, task=PACK_TASK)


@deadline_handler(PORTFOLIO_LATE)
def portfolio_late(deadline: Deadline) -> bool:
    """The day after the portfolio's due day: flagged late (once) unless the secretary has built it."""
    return portfolio_late_flag(request_pk=deadline.object_id, now=deadline.handled_at or timezone.now())

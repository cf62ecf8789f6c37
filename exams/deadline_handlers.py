"""What happens when a testing day's deadlines come due (R30: results announced the same day)."""

from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from exams import testing


@deadline_handler(testing.TESTING_WARN)
def testing_results_warn(deadline: Deadline) -> bool:
    return testing.testing_results_warn(sitting_pk=deadline.object_id)


@deadline_handler(testing.TESTING_DUE)
def testing_results_due(deadline: Deadline) -> bool:
    return testing.testing_results_due(sitting_pk=deadline.object_id, now=deadline.handled_at)

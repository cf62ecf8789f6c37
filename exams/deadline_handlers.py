"""What happens when a testing day's deadlines come due (R30: results announced the same day), and when a take-home
exam's time is over (000 §13, §36)."""

from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from exams import services, testing


@deadline_handler(testing.TESTING_WARN)
def testing_results_warn(deadline: Deadline) -> bool:
    return testing.testing_results_warn(sitting_pk=deadline.object_id)


@deadline_handler(testing.TESTING_DUE)
def testing_results_due(deadline: Deadline) -> bool:
    return testing.testing_results_due(sitting_pk=deadline.object_id, now=deadline.handled_at)


@deadline_handler(services.TAKE_HOME_DUE)
def take_home_due(deadline: Deadline) -> bool:
    return services.take_home_due(attempt_pk=deadline.object_id, at=deadline.due_at)

from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from attestation.institutions.models import DepartmentHead
from exams.preparation.models import PreparationStep
from exams.preparation.selectors import step_is_done
from exams.preparation.services import STEP_REMINDER


@deadline_handler(STEP_REMINDER)
def step_reminder(deadline: Deadline) -> bool:
    """Working days before a step is due, the heads of the departments concerned are reminded (if not done)."""
    step = PreparationStep.objects.select_related("series__commission").filter(pk=deadline.object_id).first()
    if step is None or step_is_done(step):
        return False
    commission = step.series.commission
    heads = DepartmentHead.objects.filter(department__programmes__commissions=commission).select_related("user")
    for head in {h.user_id: h for h in heads}.values():
        notify(
            user=head.user,
            kind=STEP_REMINDER,
            template="preparation/email/step_reminder",
            context={"step": step, "commission": commission},
        )
    return True

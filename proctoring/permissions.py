"""Who may act on proctoring records; views call these by name. Watching a sitting or a student stays in
exams.permissions (can_watch_sitting, can_watch_slot), which every exam page already uses; the sitting's proctors
are among the watchers through is_proctor_of, plugged in by proctoring.hooks."""

from django.db.models import Q

from commissions.models import Sitting, Slot
from commissions.permissions import heads_commission_department
from exams.permissions import can_decide, can_run_sitting
from proctoring.models import ProctorAssignment


def is_proctor_of(user, sitting: Sitting, slot: Slot | None = None) -> bool:
    """A proctor of the sitting; with `slot`, only one assigned to the whole sitting or to that student (R7)."""
    if not user.is_authenticated:
        return False
    assignments = ProctorAssignment.objects.filter(user=user, sitting=sitting)
    if slot is not None:
        assignments = assignments.filter(Q(slot__isnull=True) | Q(slot=slot))
    return assignments.exists()


def can_assign_proctors(user, sitting: Sitting) -> bool:
    """The technical secretary running the sitting, or the department head who organises it (R7)."""
    return user.is_authenticated and (
        can_run_sitting(user, sitting) or heads_commission_department(user, sitting.commission)
    )


def can_offer_new_slot(user, sitting: Sitting) -> bool:
    """After a technical failure the secretary or the chair gives the student another time (R23)."""
    return user.is_authenticated and can_decide(user, sitting)


def can_add_recordings(user, sitting: Sitting) -> bool:
    """The technical secretary stores the recording's link or file (R2)."""
    return can_run_sitting(user, sitting)

"""Who may act on proctoring records; views call these by name. Watching a sitting or a student stays in
exams.permissions (can_watch_sitting, can_watch_slot, is_proctor_of), which every exam page already uses."""

from commissions.models import Sitting
from commissions.permissions import heads_commission_department
from exams.permissions import can_decide, can_run_sitting


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

"""Who may run, watch or take part in a sitting, and who keeps exam programmes. Views call these by name."""

from attestation.institutions.permissions import is_institution_admin
from commissions.models import Commission, Membership, Sitting, Slot
from commissions.permissions import commission_role, heads_commission_department
from exams.extensions import watches_by_rule


def can_run_sitting(user, sitting: Sitting) -> bool:
    """The technical secretary runs the sitting's console (R2)."""
    return user.is_authenticated and commission_role(user, sitting.commission) == Membership.Role.SECRETARY


def can_follow_day(user, sitting: Sitting) -> bool:
    """The secretary's desk for the day: the technical secretary who runs the sitting, and the chair who decides with
    the commission; the members, the department head and the proctors follow the console instead."""
    return user.is_authenticated and commission_role(user, sitting.commission) in (
        Membership.Role.SECRETARY,
        Membership.Role.CHAIR,
    )


def can_watch_sitting(user, sitting: Sitting) -> bool:
    """The commission, the department head and the sitting's proctors see the console; only the secretary acts."""
    if not user.is_authenticated:
        return False
    return (
        commission_role(user, sitting.commission) is not None
        or heads_commission_department(user, sitting.commission)
        or watches_by_rule(user, sitting)
    )


def can_watch_commission_sittings(user, commission: Commission) -> bool:
    """The commission's own people and the department head see every sitting's console (the links on its page);
    a proctor is let in per sitting by `can_watch_sitting`."""
    return user.is_authenticated and (
        commission_role(user, commission) is not None or heads_commission_department(user, commission)
    )


def can_watch_slot(user, slot: Slot) -> bool:
    """One student's desk, sheets, acts and incidents: the commission, the department head, and a proctor of the
    whole sitting or of this student — never a proctor assigned to another student."""
    if not user.is_authenticated:
        return False
    sitting = slot.sitting
    return (
        commission_role(user, sitting.commission) is not None
        or heads_commission_department(user, sitting.commission)
        or watches_by_rule(user, sitting, slot)
    )


def can_decide(user, sitting: Sitting) -> bool:
    """A commission decision (interruption, refused room check) is recorded by the chair or the secretary."""
    return commission_role(user, sitting.commission) in (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def can_identify_members(user, sitting: Sitting) -> bool:
    """The department head (or dean) identifies the chair and members (R19)."""
    return user.is_authenticated and heads_commission_department(user, sitting.commission)


def is_own_slot(user, slot: Slot) -> bool:
    return user.is_authenticated and slot.student.user_id == user.pk


def can_manage_programmes(user, commission: Commission) -> bool:
    """The department head uploads and approves programmes, question lists and tickets (R4)."""
    return user.is_authenticated and (
        heads_commission_department(user, commission) or is_institution_admin(user, commission.institution_id)
    )


def can_view_programmes(user, commission: Commission) -> bool:
    return can_manage_programmes(user, commission) or commission_role(user, commission) is not None


def can_edit_exam_settings(user, commission: Commission) -> bool:
    """The secretary and the chair set how their commission examines; the department head and the institution's
    administrator may too (they prepare the attestation)."""
    if not user.is_authenticated:
        return False
    return (
        commission_role(user, commission) in (Membership.Role.SECRETARY, Membership.Role.CHAIR)
        or heads_commission_department(user, commission)
        or is_institution_admin(user, commission.institution_id)
    )

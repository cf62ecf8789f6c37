"""Who may see and do what on commissions, sittings and slots."""

from dataclasses import dataclass

from attestation.institutions.models import DepartmentHead, Institution, Student
from attestation.institutions.permissions import is_institution_admin, is_registrar
from commissions.models import Commission, Membership, Slot


def commission_role(user, commission: Commission) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, commission=commission).values_list("role", flat=True).first()


def heads_commission_department(user, commission: Commission) -> bool:
    return DepartmentHead.objects.filter(user=user, department__programmes__commissions=commission).exists()


def can_invite_member(user, commission: Commission) -> bool:
    """The head of a department whose programme the commission examines, or the institution's administrator."""
    return user.is_authenticated and (
        heads_commission_department(user, commission) or is_institution_admin(user, commission.institution_id)
    )


def can_view_commission(user, commission: Commission) -> bool:
    if not user.is_authenticated:
        return False
    return (
        commission_role(user, commission) is not None
        or heads_commission_department(user, commission)
        or is_institution_admin(user, commission.institution_id)
        or is_registrar(user, commission.institution_id)
    )


def can_manage_schedule(user, commission: Commission) -> bool:
    return (
        commission_role(user, commission) == Membership.Role.SECRETARY
        or heads_commission_department(user, commission)
        or is_institution_admin(user, commission.institution_id)
    )


def can_view_slot(user, slot: Slot) -> bool:
    if not user.is_authenticated:
        return False
    if slot.student.user_id == user.pk:
        return True
    return can_view_commission(user, slot.sitting.commission)


def _role_in_sitting(user, sitting) -> str | None:
    return commission_role(user, sitting.commission) if user.is_authenticated else None


def can_grade(user, slot: Slot) -> bool:
    """The chair and the members grade; the secretary does not (R33)."""
    return _role_in_sitting(user, slot.sitting) in (Membership.Role.CHAIR, Membership.Role.MEMBER)


def can_follow_grading(user, sitting) -> bool:
    """Everyone on the commission follows who has graded and the votes' progress."""
    return _role_in_sitting(user, sitting) is not None


def can_see_member_points(user, sitting) -> bool:
    """The chair and the secretary (who counts and records) see each member's points."""
    return _role_in_sitting(user, sitting) in (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def is_chair(user, sitting) -> bool:
    return _role_in_sitting(user, sitting) == Membership.Role.CHAIR


def can_run_votes(user, sitting) -> bool:
    return _role_in_sitting(user, sitting) in (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def can_draw_up_documents(user, sitting) -> bool:
    return can_run_votes(user, sitting)


def can_download_paper(user, paper) -> bool:
    """Every member gets the protocols (R36); the registrar office, the administrator and the department head too."""
    if not user.is_authenticated:
        return False
    return can_view_commission(user, paper.commission)


def can_sign_paper(user, paper) -> bool:
    return commission_role(user, paper.commission) in paper.signer_roles


def can_view_registry(user, institution_id: int) -> bool:
    return is_registrar(user, institution_id) or is_institution_admin(user, institution_id)


def is_commission_chair(user, commission: Commission) -> bool:
    return commission_role(user, commission) == Membership.Role.CHAIR


def can_build_portfolio(user, commission: Commission) -> bool:
    """The secretary hands the portfolio to the department (R39); the chair may build it too."""
    return commission_role(user, commission) in (Membership.Role.SECRETARY, Membership.Role.CHAIR)


def can_edit_commission_settings(user, commission: Commission) -> bool:
    """The chair or the head of the programme's department sets the vote mode, quorum and honours thresholds."""
    return is_commission_chair(user, commission) or heads_commission_department(user, commission)


def can_record_attendance(user, sitting) -> bool:
    """The secretary records who is present (R2); the chair may too."""
    return _role_in_sitting(user, sitting) in (Membership.Role.SECRETARY, Membership.Role.CHAIR)


def can_write_opinion(user, slot: Slot) -> bool:
    """A voting member may record a dissenting opinion; the secretary does not vote."""
    return can_grade(user, slot)


def heads_a_department_of(user, institution: Institution) -> bool:
    return user.is_authenticated and DepartmentHead.objects.filter(user=user, department__institution=institution).exists()


def can_form_commissions(user, institution: Institution) -> bool:
    """The institution's administrator forms any commission; a department head those of the department's programmes."""
    return is_institution_admin(user, institution.pk) or heads_a_department_of(user, institution)


def can_edit_commission(user, commission: Commission) -> bool:
    """Its order, programmes and people: the administrator, or the head of a department whose programme it examines."""
    return is_institution_admin(user, commission.institution_id) or heads_commission_department(user, commission)


def can_check_connection(user, sitting) -> bool:
    """The technical secretary calls each student the day before (R12); the chair may stand in."""
    return _role_in_sitting(user, sitting) in (Membership.Role.SECRETARY, Membership.Role.CHAIR)


# ------------------------------------------------------------------ the audit trail (commissions/trail.py)

TRAIL_ROLES = (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def can_see_commission_trail(user, commission: Commission) -> bool:
    """The commission's audit trail: its chair and secretary, the head of its programme's department, the
    institution's administrator."""
    return user.is_authenticated and (
        commission_role(user, commission) in TRAIL_ROLES
        or heads_commission_department(user, commission)
        or is_institution_admin(user, commission.institution_id)
    )


@dataclass(frozen=True)
class StudentTrailScope:
    """What of a student's trail a person reads: everything (`whole`), only what concerns these commissions, or —
    the student — their own attempts without the members' grades and votes (`own`)."""

    whole: bool = False
    commissions: frozenset[int] = frozenset()
    own: bool = False


def student_trail_scope(user, student: Student) -> StudentTrailScope | None:
    """None for whoever may not read it (404). The institution's administrator, its registrar and the head of the
    student's department read all of it; the chair, the secretary and the department head of one of the student's
    commissions what concerns those commissions; the student their own trail."""
    if not user.is_authenticated:
        return None
    if (
        is_institution_admin(user, student.institution_id)
        or is_registrar(user, student.institution_id)
        or DepartmentHead.objects.filter(user=user, department__programmes__groups__students=student).exists()
    ):
        return StudentTrailScope(whole=True)
    theirs = Commission.objects.filter(sittings__slots__student=student)
    mine = set(theirs.filter(memberships__user=user, memberships__role__in=TRAIL_ROLES).values_list("pk", flat=True)) | set(
        theirs.filter(programmes__department__heads__user=user).values_list("pk", flat=True)
    )
    if mine:
        return StudentTrailScope(commissions=frozenset(mine))
    if student.user_id is not None and student.user_id == user.pk:
        return StudentTrailScope(own=True)
    return None

"""Who may do what on theses, reviews, checks, clearance and the admission list. Views call these, nothing else."""

from attestation.institutions.permissions import heads_department, is_institution_admin
from exams.admission.models import ClearanceOfficer, Thesis


def manages_department(user, department) -> bool:
    """The department head or the institution's administrator: checks documents, admits the list (R4)."""
    return heads_department(user, department.pk) or is_institution_admin(user, department.institution_id)


def _department(thesis: Thesis):
    return thesis.student.group.programme.department


def is_supervisor(user, thesis: Thesis) -> bool:
    return user.is_authenticated and thesis.supervisor_id == user.pk


def is_reviewer(user, thesis: Thesis) -> bool:
    return user.is_authenticated and thesis.reviewer_id is not None and thesis.reviewer_id == user.pk


def is_own_thesis(user, thesis: Thesis) -> bool:
    return user.is_authenticated and thesis.student.user_id == user.pk


def can_view_thesis(user, thesis: Thesis) -> bool:
    return (
        is_own_thesis(user, thesis)
        or is_supervisor(user, thesis)
        or is_reviewer(user, thesis)
        or manages_department(user, _department(thesis))
    )


def can_upload_version(user, thesis: Thesis) -> bool:
    return is_own_thesis(user, thesis) or manages_department(user, _department(thesis))


def can_submit_supervisor_review(user, thesis: Thesis) -> bool:
    """The thesis's own supervisor, or the department uploading what arrived by e-mail."""
    return is_supervisor(user, thesis) or manages_department(user, _department(thesis))


def can_submit_external_review(user, thesis: Thesis) -> bool:
    return is_reviewer(user, thesis) or manages_department(user, _department(thesis))


def can_record_check(user, thesis: Thesis) -> bool:
    return manages_department(user, _department(thesis))


def can_check_formatting(user, thesis: Thesis) -> bool:
    return manages_department(user, _department(thesis))


def can_mark_clearance(user, student, line: str) -> bool:
    department = student.group.programme.department
    if manages_department(user, department):
        return True
    return user.is_authenticated and ClearanceOfficer.objects.filter(department=department, user=user, line=line).exists()


def can_view_clearance(user, student) -> bool:
    department = student.group.programme.department
    return (
        student.user_id == user.pk
        or manages_department(user, department)
        or ClearanceOfficer.objects.filter(department=department, user=user).exists()
    )

"""Who may do what on institutions, departments and students. Views call these, nothing else decides."""

from attestation.institutions.models import (
    Department,
    DepartmentHead,
    Institution,
    InstitutionAdmin,
    Registrar,
    Staff,
    Student,
)


def is_institution_admin(user, institution_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or InstitutionAdmin.objects.filter(user=user, institution_id=institution_id).exists()


def is_registrar(user, institution_id: int) -> bool:
    return user.is_authenticated and Registrar.objects.filter(user=user, institution_id=institution_id).exists()


def heads_department(user, department_id: int) -> bool:
    return user.is_authenticated and DepartmentHead.objects.filter(user=user, department_id=department_id).exists()


def can_edit_policy(user, institution: Institution) -> bool:
    return is_institution_admin(user, institution.pk)


def can_edit_calendar(user, institution: Institution) -> bool:
    """The institution's days off and transfers (issue 20): its administrator."""
    return is_institution_admin(user, institution.pk)


def can_import_students(user, institution: Institution) -> bool:
    return is_institution_admin(user, institution.pk) or is_registrar(user, institution.pk)


def can_view_department(user, department: Department) -> bool:
    return (
        heads_department(user, department.pk)
        or is_institution_admin(user, department.institution_id)
        or is_registrar(user, department.institution_id)
    )


def can_manage_structure(user, institution: Institution) -> bool:
    """Faculties, departments, programmes, groups and attestation periods: the institution's administrator."""
    return is_institution_admin(user, institution.pk)


def can_create_institution(user) -> bool:
    """A new institution is the platform operator's (a superuser); its first administrator is invited with it."""
    return user.is_authenticated and user.is_superuser


def can_invite_staff(user, institution: Institution) -> bool:
    """The staff page: the administrator, and a head of department for their department."""
    return is_institution_admin(user, institution.pk) or (
        user.is_authenticated and DepartmentHead.objects.filter(user=user, department__institution=institution).exists()
    )


def can_invite_to(user, institution: Institution, department: Department | None) -> bool:
    """The administrator invites to the whole institution; a head of department only to their own department."""
    if is_institution_admin(user, institution.pk):
        return True
    return department is not None and heads_department(user, department.pk)


def can_grant_staff_role(user, institution: Institution, role: str) -> bool:
    """A head of department gives commission roles; making administrators, heads and registrars is the
    administrator's."""
    return is_institution_admin(user, institution.pk) or role not in ("admin", "head", "registrar")


def can_manage_staff_invitation(user, invitation) -> bool:
    """Re-send or revoke: whoever could have sent it (an invitation of an institution and maybe a department)."""
    return is_institution_admin(user, invitation.institution_id) or (
        invitation.department_id is not None and heads_department(user, invitation.department_id)
    )


def belongs_to_institution(user, institution: Institution) -> bool:
    """A student, staff member, administrator, registrar or head of department of this institution."""
    pk = institution.pk
    return (
        Student.objects.filter(user=user, institution_id=pk).exists()
        or Staff.objects.filter(user=user, institution_id=pk).exists()
        or InstitutionAdmin.objects.filter(user=user, institution_id=pk).exists()
        or Registrar.objects.filter(user=user, institution_id=pk).exists()
        or DepartmentHead.objects.filter(user=user, department__institution_id=pk).exists()
    )

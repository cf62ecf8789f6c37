"""Reads scoped to the person asking."""

from django.db.models import Count, Prefetch
from django.http import Http404

from attestation.core.collation import name_order, student_name_fields
from attestation.institutions import permissions
from attestation.institutions.models import (
    AttestationPeriod,
    Department,
    Faculty,
    Group,
    Institution,
    Policy,
    Programme,
    Student,
    StudentImport,
)
from attestation.institutions.policies import policy_find
from attestation.workcal.models import CalendarOverride


def institution_get_for_admin(*, user, pk: int) -> Institution:
    """The institution whose policy the user may edit; 404 for everyone else."""
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_edit_policy(user, institution):
        raise Http404
    return institution


def institution_get_for_calendar(*, user, pk: int) -> Institution:
    """The institution whose calendar the user keeps; 404 for everyone else."""
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_edit_calendar(user, institution):
        raise Http404
    return institution


def calendar_row_for_user(*, user, pk: int) -> CalendarOverride:
    """One of an institution's own calendar rows, for its administrator; 404 otherwise (national decrees too)."""
    row = CalendarOverride.objects.select_related("institution").filter(pk=pk, institution__isnull=False).first()
    if row is None or row.institution is None or not permissions.can_edit_calendar(user, row.institution):
        raise Http404
    return row


def institution_get_for_import(*, user, pk: int) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_import_students(user, institution):
        raise Http404
    return institution


def student_import_for_user(*, user, pk: int) -> StudentImport:
    """A checked or running student file, for whoever may import the institution's students; 404 for the rest."""
    job = StudentImport.objects.select_related("institution").filter(pk=pk).first()
    if job is None or not permissions.can_import_students(user, job.institution):
        raise Http404
    return job


def department_get_for_user(*, user, pk: int) -> Department:
    department = Department.objects.select_related("institution", "faculty").filter(pk=pk).first()
    if department is None or not permissions.can_view_department(user, department):
        raise Http404
    return department


def department_programmes(*, department: Department) -> list[Programme]:
    """Programmes with their groups and the number of students in each: a fixed number of queries."""
    groups = Group.objects.annotate(student_count=Count("students")).order_by("name")
    return list(department.programmes.prefetch_related(Prefetch("groups", queryset=groups)).order_by("code"))


def department_students(*, department: Department):
    """The department's students by group, then alphabetically in the page's language."""
    return (
        Student.objects.filter(group__programme__department=department)
        .select_related("group__programme")
        .order_by("group__name", *name_order(*student_name_fields()))
    )


def policy_current(*, institution: Institution) -> Policy | None:
    """The policy of the academic year in force today, else the latest one (a new institution's first year)."""
    return policy_find(institution) or institution.policies.order_by("-academic_year").first()


def policy_of_year(*, institution: Institution, year: int | None) -> Policy:
    """The policy page's policy: the given year's, or the one in force; 404 when there is none."""
    if year is None:
        policy = policy_current(institution=institution)
    else:
        policy = institution.policies.filter(academic_year=year).first()
    if policy is None:
        raise Http404
    return policy


def policy_years(*, institution: Institution) -> list[int]:
    """The academic years that have a policy, newest first."""
    return list(institution.policies.order_by("-academic_year").values_list("academic_year", flat=True))


def institution_get_for_structure(*, user, pk: int) -> Institution:
    """The institution whose structure the user keeps; 404 for everyone else."""
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_manage_structure(user, institution):
        raise Http404
    return institution


def structure_row_for_user(*, user, model, institution_path: str, pk: int):
    """One faculty, department, programme, group or period of an institution the user keeps; 404 otherwise."""
    row = model.objects.filter(pk=pk).select_related(institution_path).first()
    if row is None:
        raise Http404
    institution = row
    for step in institution_path.split("__"):
        institution = getattr(institution, step)
    if not permissions.can_manage_structure(user, institution):
        raise Http404
    return row, institution


def structure_overview(*, institution: Institution) -> dict:
    """Every structure row of the institution with its counts, in a fixed number of queries."""
    return {
        "faculty": list(
            Faculty.objects.filter(institution=institution).annotate(n=Count("departments")).order_by("name_kk")
        ),
        "department": list(
            Department.objects.filter(institution=institution)
            .select_related("faculty")
            .annotate(n=Count("programmes"))
            .order_by("name_kk")
        ),
        "programme": list(
            Programme.objects.filter(department__institution=institution)
            .select_related("department")
            .annotate(n=Count("groups"))
            .order_by("code")
        ),
        "group": list(
            Group.objects.filter(programme__department__institution=institution)
            .select_related("programme")
            .annotate(n=Count("students"))
            .order_by("name")
        ),
        "period": list(AttestationPeriod.objects.filter(institution=institution)),
    }

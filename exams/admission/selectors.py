"""Reads scoped to the person asking: 404 for outsiders."""

from django.db.models import Prefetch, Q
from django.http import Http404

from attestation.core.collation import name_order, student_name_fields
from attestation.institutions.models import Programme, Student
from exams.admission import permissions
from exams.admission.conditions import StudentAdmission, student_admission
from exams.admission.models import Acquaintance, PlagiarismCheck, ProcedureNotice, Thesis, ThesisVersion

STUDENT_RELATED = (
    "group__programme__department__institution",
    "thesis__plagiarism_certificate",
    "thesis__supervisor",
    "thesis__reviewer",
    "admission_decision",
)


def _with_admission_rows(students):
    return students.select_related(*STUDENT_RELATED).prefetch_related(
        "thesis__reviews",
        "clearance_lines",
        Prefetch("thesis__plagiarism_checks", queryset=PlagiarismCheck.objects.order_by("attempt_number")),
        Prefetch("thesis__versions", queryset=ThesisVersion.objects.order_by("-number")),
    )


def thesis_get_for_user(*, user, pk: int) -> Thesis:
    """A thesis its student, supervisor, reviewer or department may see; 404 for everyone else."""
    thesis = (
        Thesis.objects.select_related("student__group__programme__department", "supervisor", "reviewer")
        .filter(pk=pk)
        .first()
    )
    if thesis is None or not permissions.can_view_thesis(user, thesis):
        raise Http404
    return thesis


def student_get_for_clearance(*, user, pk: int) -> Student:
    student = Student.objects.select_related("group__programme__department__institution").filter(pk=pk).first()
    if student is None or not permissions.can_view_clearance(user, student):
        raise Http404
    return student


def student_admission_for(*, student: Student) -> StudentAdmission:
    """One student's conditions, read in a fixed number of queries."""
    return student_admission(_with_admission_rows(Student.objects.filter(pk=student.pk)).get())


def programme_get_for_head(*, user, pk: int) -> Programme:
    programme = Programme.objects.select_related("department__institution").filter(pk=pk).first()
    if programme is None or not permissions.manages_department(user, programme.department):
        raise Http404
    return programme


def programmes_for_head(*, user) -> list[Programme]:
    """The programmes of the departments the user heads (or of the institutions they administer)."""
    if not user.is_authenticated:
        return []
    scope = Q(department__heads__user=user) | Q(department__institution__admins__user=user)
    return list(Programme.objects.filter(scope).select_related("department").distinct().order_by("code"))


def admission_table(*, programme: Programme) -> list[StudentAdmission]:
    """Every student of the programme with each condition green or red: a constant number of queries."""
    students = _with_admission_rows(
        Student.objects.filter(group__programme=programme).order_by("group__name", *name_order(*student_name_fields()))
    )
    return [student_admission(s) for s in students]


def theses_for_reviewer(*, user):
    """The theses a person supervises or reviews: a supervisor sees only their own students."""
    return (
        Thesis.objects.filter(Q(supervisor=user) | Q(reviewer=user))
        .select_related("student__group__programme")
        .prefetch_related("reviews")
        .order_by("student__group__name")
    )


def procedure_notices(*, programme: Programme) -> list[ProcedureNotice]:
    """The procedure notices of a programme with who has and has not confirmed: a fixed number of queries."""
    rows = Acquaintance.objects.select_related("student").order_by(
        *name_order(*[f"student__{f}" for f in student_name_fields()])
    )
    return list(
        ProcedureNotice.objects.filter(programme=programme)
        .select_related("sent_by")
        .prefetch_related(Prefetch("acquaintances", queryset=rows))
    )

"""Reads of applications, "I" grades and transcripts scoped to the person asking."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from attestation.core.collation import name_order, student_name_fields
from attestation.grading.scale import INCOMPLETE
from attestation.institutions.models import Department, Institution, Programme, Student
from attestation.institutions.permissions import can_view_department
from commissions.models import Membership, Result
from exams.applications import permissions
from exams.applications.models import Application, ArtsResult, IncompleteDue, SummativeDecision, TranscriptImport

_RELATED = ("student__group__programme", "slot__sitting__commission", "discipline", "decided_by", "new_slot__sitting")


def applications_for_student(*, user) -> QuerySet[Application]:
    """The student's own applications, newest first."""
    return (
        Application.objects.filter(student__user=user).select_related(*_RELATED)
        if user.is_authenticated
        else Application.objects.none()
    )


def students_by_name(prefix: str) -> list:
    """ORDER BY the student's names (through `prefix`) in the page's alphabet, Kazakh or Russian."""
    return name_order(*(f"{prefix}{field}" for field in student_name_fields()))


def decision_queue(*, user, state: str | None = Application.State.FILED) -> QuerySet[Application]:
    """The applications `user` may decide (filed ones by default), by student in the page's alphabet, then oldest."""
    rows = Application.objects.filter(permissions.decider_filter(user))
    if state:
        rows = rows.filter(state=state)
    return rows.select_related(*_RELATED).distinct().order_by(*students_by_name("student__"), "filed_at")


def application_get_for_user(*, user, pk: int) -> Application:
    """One application for its student or a decider; 404 for everyone else."""
    application = Application.objects.select_related(*_RELATED, "student__user").filter(pk=pk).first()
    if application is None or not permissions.can_view_application(user, application):
        raise Http404
    return application


def incompletes_for_user(*, user) -> QuerySet[IncompleteDue]:
    """ "I" grades with their due dates: the student's own, or those of the departments the user heads or the
    commissions the user chairs; by student in the page's alphabet."""
    if not user.is_authenticated:
        return IncompleteDue.objects.none()
    return (
        IncompleteDue.objects.filter(_incomplete_scope(user, "result__slot__"))
        .distinct()
        .select_related("result__slot__student", "result__slot__sitting__commission")
        .order_by(*students_by_name("result__slot__student__"), "due_date")
    )


def _incomplete_scope(user, slot: str) -> Q:
    return Q(**{f"{slot}student__user": user}) | _incomplete_staff(user, slot)


def _incomplete_staff(user, slot: str) -> Q:
    """The department that heads the student's programme, or the chair of the commission."""
    return Q(**{f"{slot}student__group__programme__department__heads__user": user}) | Q(
        **{
            f"{slot}sitting__commission__memberships__user": user,
            f"{slot}sitting__commission__memberships__role": Membership.Role.CHAIR,
        }
    )


def incompletes_without_due(*, user) -> QuerySet[Result]:
    """ "I" results that have no due date yet, for the chair or the department that sets one."""
    if not user.is_authenticated:
        return Result.objects.none()
    rows = Result.objects.filter(_incomplete_staff(user, "slot__"), letter=INCOMPLETE, incomplete_due__isnull=True)
    return (
        rows.distinct()
        .select_related("slot__student", "slot__sitting__commission")
        .order_by(*students_by_name("slot__student__"))
    )


def incomplete_result_for_due_date(*, user, pk: int) -> Result:
    """An "I" result whose due date `user` may set; 404 for everyone else (and for a result that is not "I")."""
    result = (
        Result.objects.select_related(
            "slot__student__group__programme", "slot__sitting__commission__institution", "incomplete_due"
        )
        .filter(pk=pk, letter=INCOMPLETE)
        .first()
    )
    if result is None or not permissions.can_set_due_date(user, result):
        raise Http404
    return result


def institution_for_summative(*, user, pk: int) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_make_summative_decision(user, institution):
        raise Http404
    return institution


def summative_decisions(*, institution: Institution) -> QuerySet[SummativeDecision]:
    """The institution's list-wide decisions, newest first, with their disciplines (two queries)."""
    return (
        SummativeDecision.objects.filter(institution=institution)
        .select_related("decided_by")
        .prefetch_related("disciplines")
    )


def summative_decision_for_user(*, user, pk: int) -> SummativeDecision:
    decision = SummativeDecision.objects.select_related("institution", "document").filter(pk=pk).first()
    if decision is None or not permissions.can_make_summative_decision(user, decision.institution):
        raise Http404
    return decision


def department_for_arts(*, user, pk: int) -> Department:
    """The department whose arts results `user` may see (its head sets them; the institution's office reads)."""
    department = Department.objects.select_related("institution").filter(pk=pk).first()
    if department is None or not can_view_department(user, department):
        raise Http404
    return department


def arts_students(*, department: Department, period: str) -> list[Student]:
    """The department's arts and culture students (R46) in the page's alphabet, each with `.arts` (its result for
    the period)."""
    results = ArtsResult.objects.filter(period=period)
    students = list(
        Student.objects.filter(
            group__programme__department=department,
            group__programme__level=Programme.Level.COLLEGE,
            group__programme__arts_and_culture=True,
        )
        .select_related("group__programme")
        .prefetch_related(Prefetch("arts_results", queryset=results))
        .order_by(*students_by_name(""))
    )
    for student in students:
        student.arts = next(iter(student.arts_results.all()), None)
    return students


def student_for_arts(*, user, pk: int) -> Student:
    student = Student.objects.select_related("group__programme", "institution").filter(pk=pk).first()
    if student is None or not student.group.programme.arts_and_culture:
        raise Http404
    if not permissions.can_set_arts_result(user, student):
        raise Http404
    return student


def institution_for_import(*, user, pk: int) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_import_transcripts(user, institution):
        raise Http404
    return institution


def import_job_for_user(*, user, pk: int) -> TranscriptImport:
    job = TranscriptImport.objects.select_related("institution").filter(pk=pk).first()
    if job is None or not permissions.can_import_transcripts(user, job.institution):
        raise Http404
    return job


def arts_result_for_user(*, user, pk: int) -> ArtsResult:
    """An arts result for those who may see its department's results; 404 for everyone else."""
    row = ArtsResult.objects.select_related("student__group__programme__department").filter(pk=pk).first()
    if row is None or not can_view_department(user, row.student.group.programme.department):
        raise Http404
    return row

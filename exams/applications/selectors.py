"""Reads of applications, "I" grades and transcripts scoped to the person asking."""

from django.db.models import QuerySet
from django.http import Http404

from attestation.institutions.models import Institution
from exams.applications import permissions
from exams.applications.models import Application, IncompleteDue, TranscriptImport

_RELATED = ("student__group__programme", "slot__sitting__commission", "discipline", "decided_by", "new_slot__sitting")


def applications_for_student(*, user) -> QuerySet[Application]:
    """The student's own applications, newest first."""
    return Application.objects.filter(student__user=user).select_related(*_RELATED) if user.is_authenticated \
        else Application.objects.none()


def decision_queue(*, user, state: str | None = Application.State.FILED) -> QuerySet[Application]:
    """The applications `user` may decide (filed ones by default), oldest first."""
    rows = Application.objects.filter(permissions.decider_filter(user))
    if state:
        rows = rows.filter(state=state)
    return rows.select_related(*_RELATED).distinct().order_by("filed_at")


def application_get_for_user(*, user, pk: int) -> Application:
    """One application for its student or a decider; 404 for everyone else."""
    application = Application.objects.select_related(*_RELATED, "student__user").filter(pk=pk).first()
    if application is None or not permissions.can_view_application(user, application):
        raise Http404
    return application


def incompletes_for_user(*, user) -> QuerySet[IncompleteDue]:
    """"I" grades with their due dates: the student's own, or those of the departments the user heads."""
    if not user.is_authenticated:
        return IncompleteDue.objects.none()
    mine = IncompleteDue.objects.filter(result__slot__student__user=user)
    headed = IncompleteDue.objects.filter(result__slot__student__group__programme__department__heads__user=user)
    return (mine | headed).distinct().select_related(
        "result__slot__student", "result__slot__sitting__commission").order_by("due_date")


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

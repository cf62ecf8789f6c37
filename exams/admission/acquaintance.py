"""Acquaintance with the procedure (R13): the document goes to every student at least N working days before
final attestation starts, and each student confirms in the portal."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.notifications import notify
from attestation.institutions.models import Programme, Student
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import working_days_between
from exams.admission import permissions
from exams.admission.models import Acquaintance, ProcedureNotice
from exams.admission.services import PAPER_MAX_BYTES, validate_paper


def latest_send_date(*, starts: dt.date, working_days: int, institution_id: int) -> dt.date:
    """The last day on which sending still leaves `working_days` full working days before `starts`."""
    day = starts - dt.timedelta(days=1)
    while working_days_between(day, starts - dt.timedelta(days=1), institution_id) < working_days:
        day -= dt.timedelta(days=1)
    return day


@transaction.atomic
def procedure_send(*, actor, programme: Programme, upload, attestation_starts: dt.date) -> ProcedureNotice:
    """Sends the procedure document to every student of the programme and asks each to confirm."""
    if not permissions.manages_department(actor, programme.department):
        raise PermissionDenied
    validate_paper(upload, allowed=("pdf",), max_bytes=PAPER_MAX_BYTES)
    students = list(Student.objects.filter(group__programme=programme).select_related("user", "institution"))
    if not students:
        raise ValidationError(_("The programme has no students."))
    policy = policy_for(programme.department.institution_id, on=attestation_starts)  # the year it is held in
    latest = latest_send_date(
        starts=attestation_starts,
        working_days=policy.acquaintance_working_days,
        institution_id=programme.department.institution_id,
    )
    notice = ProcedureNotice(
        programme=programme,
        attestation_starts=attestation_starts,
        latest_send_date=latest,
        sent_by=actor,
        sent_at=timezone.now(),
    )
    notice.file.save(f"procedure-{programme.code}.pdf", upload, save=False)
    notice.save()
    Acquaintance.objects.bulk_create([Acquaintance(notice=notice, student=s) for s in students])
    url = reverse("admission:my_thesis")
    for student in students:
        if student.user_id:
            notify(
                user=student.user,
                kind="admission.procedure",
                template="admission/email/procedure",
                context={"notice": notice, "programme": programme},
                url=url,
            )
    audit_record(
        actor=actor,
        verb="admission.procedure_send",
        obj=notice,
        after={"students": len(students), "late": notice.late, "latest": str(latest)},
    )
    return notice


@transaction.atomic
def acquaintance_confirm(*, actor, acquaintance: Acquaintance) -> Acquaintance:
    """The student confirms acquaintance; a second confirmation changes nothing."""
    if acquaintance.student.user_id != actor.pk:
        raise PermissionDenied
    now = timezone.now()
    if Acquaintance.objects.filter(pk=acquaintance.pk, confirmed_at__isnull=True).update(confirmed_at=now):
        audit_record(actor=actor, verb="admission.acquaintance_confirm", obj=acquaintance.notice)
    acquaintance.refresh_from_db()
    return acquaintance

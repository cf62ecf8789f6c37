"""Colleges, arts and culture (R46): a result from the half-year average and a creative characteristic."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.grading.scale import Scale
from attestation.institutions.models import Student
from exams.applications.models import ArtsResult, TranscriptRow
from exams.applications.permissions import can_set_arts_result
from exams.applications.summative import CENT, average

# Ballet, dance ensemble and circus also need the stage-performance recording and the employer reviews.
RECORDING_QUALIFICATIONS = frozenset({"0408013", "0408023", "0410013"})


def needs_recording(student: Student) -> bool:
    return student.group.programme.code in RECORDING_QUALIFICATIONS


def transcript_average(*, student: Student, period: str) -> Decimal | None:
    """The half-year average of the student's imported final scores, or None when there are none."""
    values = list(
        TranscriptRow.objects.filter(student=student, period=period, kind=TranscriptRow.Kind.FINAL).values_list(
            "points", flat=True
        )
    )
    return average(values) if values else None


@transaction.atomic
def arts_result_set(
    *,
    actor,
    student: Student,
    period: str,
    characteristic: str,
    recording=None,
    employer_reviews=None,
    entered_average: Decimal | None = None,
) -> ArtsResult:
    """The department sets the result once every required input is there; the letter comes from the scale.

    The average is the one entered (colleges without an imported transcript) or else the transcript's.
    """
    student = Student.objects.select_related("group__programme").get(pk=student.pk)
    if not can_set_arts_result(actor, student):
        raise PermissionDenied
    if not student.group.programme.arts_and_culture:
        raise ValidationError(
            _("%(code)s is not an arts and culture programme: its results do not come from the half-year average.")
            % {"code": student.group.programme.code}
        )
    if not characteristic.strip():
        raise ValidationError({"characteristic": _("Write the creative characteristic.")})
    if needs_recording(student) and not (recording and employer_reviews):
        raise ValidationError(
            _("For %(code)s the stage-performance recording and the employer reviews are required.")
            % {"code": student.group.programme.code}
        )
    mean = entered_average if entered_average is not None else transcript_average(student=student, period=period)
    if mean is None:
        raise ValidationError({"average": _("Enter the half-year average: there are no imported final scores.")})
    mean = Decimal(mean).quantize(CENT)
    grade = Scale.for_institution(student.institution_id).from_points(mean)
    row = ArtsResult(
        student=student,
        period=period,
        average=mean,
        characteristic=characteristic.strip(),
        letter=grade.letter,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if recording:
        row.recording = recording
    if employer_reviews:
        row.employer_reviews = employer_reviews
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError(_("The result for this period is set already.")) from exc
    audit_record(
        actor=actor,
        verb="arts_result.set",
        obj=row,
        after={"average": str(mean), "entered": entered_average is not None, "letter": grade.letter},
    )
    return row

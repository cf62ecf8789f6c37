"""Summative replacement (R44): an exam replaced by an average, rounded onto the institution's grade scale."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.grading.scale import Grade, Scale
from attestation.institutions.models import Discipline, Student
from commissions.grading.services import result_apply
from commissions.models import Result, Slot
from exams.applications.models import TranscriptRow

CENT = Decimal("0.01")


def average(values: list[Decimal]) -> Decimal:
    """The arithmetic mean to two decimals, halves rounded up (the precision of every stored points value)."""
    if not values:
        raise ValidationError(_("There are no scores to average."), code="no_scores")
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def intermediate_grade(*, student: Student, discipline: Discipline, period: str) -> Grade:
    """Intermediate: the average of the period's current and/or midterm control scores."""
    values = list(TranscriptRow.objects.filter(
        student=student, discipline=discipline, period=period,
        kind__in=[TranscriptRow.Kind.CURRENT, TranscriptRow.Kind.MIDTERM]).values_list("points", flat=True))
    if not values:
        raise ValidationError(_("%(student)s has no current or midterm scores in %(discipline)s for %(period)s.")
                              % {"student": student, "discipline": discipline.code, "period": period})
    return Scale.for_institution(student.institution_id).from_points(average(values))


def final_grade(*, student: Student) -> Grade:
    """Final (complex exam): the average of the final scores over the basic and profiling disciplines."""
    values = list(TranscriptRow.objects.filter(
        student=student, kind=TranscriptRow.Kind.FINAL, source=TranscriptRow.Source.IMPORT,
        discipline__category__in=[Discipline.Category.BASIC, Discipline.Category.PROFILING],
    ).values_list("points", flat=True))
    if not values:
        raise ValidationError(_("%(student)s has no final scores in basic or profiling disciplines.")
                              % {"student": student})
    return Scale.for_institution(student.institution_id).from_points(average(values))


@transaction.atomic
def intermediate_replace(*, actor, student: Student, discipline: Discipline, period: str) -> TranscriptRow:
    """Writes the summative average as the discipline's final score of the period; audited with before/after."""
    grade = intermediate_grade(student=student, discipline=discipline, period=period)
    row = TranscriptRow.objects.select_for_update().filter(
        student=student, discipline=discipline, period=period, kind=TranscriptRow.Kind.FINAL).first()
    before = None if row is None else {"points": str(row.points), "source": row.source}
    row = row or TranscriptRow(student=student, discipline=discipline, period=period, kind=TranscriptRow.Kind.FINAL)
    row.points, row.source = grade.points, TranscriptRow.Source.SUMMATIVE
    row.save()
    audit_record(actor=actor, verb="transcript.summative", obj=row, before=before,
                 after={"points": str(grade.points), "letter": grade.letter})
    return row


@transaction.atomic
def final_replace(*, actor, slot: Slot) -> Result:
    """Writes the summative average as the slot's result (source: summative), refusing an announced one.

    The write itself goes through commissions' result_apply, under this row lock.
    """
    grade = final_grade(student=slot.student)
    result = Result.objects.select_for_update().filter(slot=slot).first()
    if result is not None and result.announced_at is not None and result.letter != "I":
        raise ValidationError(_("The result of %(student)s is announced already.") % {"student": slot.student})
    return result_apply(actor=actor, slot=slot, result=result, grade=grade, source=Result.Source.SUMMATIVE,
                        verb="result.summative")


@transaction.atomic
def summative_replace_list(*, actor, disciplines: list[Discipline], period: str) -> int:
    """The institution's own decision (R44): every student with scores in the listed disciplines gets the average."""
    pairs = set(TranscriptRow.objects.filter(
        discipline__in=disciplines, period=period,
        kind__in=[TranscriptRow.Kind.CURRENT, TranscriptRow.Kind.MIDTERM]).values_list("student_id", "discipline_id"))
    students = Student.objects.in_bulk({s for s, _d in pairs})
    by_id = {d.pk: d for d in disciplines}
    for student_id, discipline_id in sorted(pairs):
        intermediate_replace(actor=actor, student=students[student_id], discipline=by_id[discipline_id],
                             period=period)
    return len(pairs)

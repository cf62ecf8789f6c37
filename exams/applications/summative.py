"""Summative replacement (R44): an exam replaced by an average, rounded onto the institution's grade scale."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.documents.render import document_render
from attestation.grading.scale import Grade, Scale
from attestation.institutions.models import Discipline, Group, Institution, Student
from commissions.grading.services import result_apply
from commissions.models import Result, Slot
from exams.applications.models import SummativeDecision, TranscriptRow
from exams.applications.periods import period_parse
from exams.applications.permissions import can_make_summative_decision
from exams.applications.selectors import students_by_name

CENT = Decimal("0.01")


def average(values: list[Decimal]) -> Decimal:
    """The arithmetic mean to two decimals, halves rounded up (the precision of every stored points value)."""
    if not values:
        raise ValidationError(_("There are no scores to average."), code="no_scores")
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def intermediate_grade(*, student: Student, discipline: Discipline, period: str) -> Grade:
    """Intermediate: the average of the period's current and/or midterm control scores."""
    values = list(
        TranscriptRow.objects.filter(
            student=student,
            discipline=discipline,
            period=period,
            kind__in=[TranscriptRow.Kind.CURRENT, TranscriptRow.Kind.MIDTERM],
        ).values_list("points", flat=True)
    )
    if not values:
        raise ValidationError(
            _("%(student)s has no current or midterm scores in %(discipline)s for %(period)s.")
            % {"student": student, "discipline": discipline.code, "period": period}
        )
    return Scale.for_institution(student.institution_id).from_points(average(values))


def final_grade(*, student: Student) -> Grade:
    """Final (complex exam): the average of the final scores over the basic and profiling disciplines."""
    values = list(
        TranscriptRow.objects.filter(
            student=student,
            kind=TranscriptRow.Kind.FINAL,
            source=TranscriptRow.Source.IMPORT,
            discipline__category__in=[Discipline.Category.BASIC, Discipline.Category.PROFILING],
        ).values_list("points", flat=True)
    )
    if not values:
        raise ValidationError(_("%(student)s has no final scores in basic or profiling disciplines.") % {"student": student})
    return Scale.for_institution(student.institution_id).from_points(average(values))


@transaction.atomic
def intermediate_replace(*, actor, student: Student, discipline: Discipline, period: str) -> TranscriptRow:
    """Writes the summative average as the discipline's final score of the period; audited with before/after."""
    grade = intermediate_grade(student=student, discipline=discipline, period=period)
    row = (
        TranscriptRow.objects.select_for_update()
        .filter(student=student, discipline=discipline, period=period, kind=TranscriptRow.Kind.FINAL)
        .first()
    )
    before = None if row is None else {"points": str(row.points), "source": row.source}
    row = row or TranscriptRow(student=student, discipline=discipline, period=period, kind=TranscriptRow.Kind.FINAL)
    row.points, row.source = grade.points, TranscriptRow.Source.SUMMATIVE
    row.save()
    audit_record(
        actor=actor,
        verb="transcript.summative",
        obj=row,
        before=before,
        after={"points": str(grade.points), "letter": grade.letter},
    )
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
    return result_apply(
        actor=actor, slot=slot, result=result, grade=grade, source=Result.Source.SUMMATIVE, verb="result.summative"
    )


@dataclass(frozen=True)
class PreviewRow:
    student: Student
    discipline: Discipline
    scores: list[Decimal]
    grade: Grade


def _list_scores(*, institution_ids, disciplines, period: str, groups=None):
    """The current and midterm scores a list-wide replacement averages (of `groups` only, when given)."""
    rows = TranscriptRow.objects.filter(
        student__institution_id__in=institution_ids,
        discipline__in=disciplines,
        period=period,
        kind__in=[TranscriptRow.Kind.CURRENT, TranscriptRow.Kind.MIDTERM],
    )
    return rows.filter(student__group__in=groups) if groups else rows


def summative_preview(*, institution: Institution, disciplines, period: str, groups=None) -> list[PreviewRow]:
    """The grades a list-wide replacement would write, student by student in the page's alphabet (two queries)."""
    rows = (
        _list_scores(institution_ids=[institution.pk], disciplines=disciplines, period=period, groups=groups)
        .select_related("student__group", "discipline")
        .order_by(*students_by_name("student__"), "discipline__code", "kind")
    )
    scores: dict[tuple[int, int], list] = {}
    for row in rows:
        scores.setdefault((row.student_id, row.discipline_id), []).append(row)
    scale = Scale.for_institution(institution.pk)
    return [
        PreviewRow(
            student=found[0].student,
            discipline=found[0].discipline,
            scores=[r.points for r in found],
            grade=scale.from_points(average([r.points for r in found])),
        )
        for found in scores.values()
    ]


@transaction.atomic
def summative_replace_list(*, actor, disciplines: list[Discipline], period: str, groups=None) -> int:
    """The institution's own decision (R44): every student with scores in the listed disciplines gets the average."""
    pairs = set(
        _list_scores(
            institution_ids={d.institution_id for d in disciplines}, disciplines=disciplines, period=period, groups=groups
        ).values_list("student_id", "discipline_id")
    )
    students = Student.objects.in_bulk({s for s, _d in pairs})
    by_id = {d.pk: d for d in disciplines}
    for student_id, discipline_id in sorted(pairs):
        intermediate_replace(actor=actor, student=students[student_id], discipline=by_id[discipline_id], period=period)
    return len(pairs)


@transaction.atomic
def summative_decision_make(
    *,
    actor,
    institution: Institution,
    period: str,
    number: str,
    date: dt.date,
    disciplines: list[Discipline],
    groups=None,
    now: dt.datetime | None = None,
) -> SummativeDecision:
    """The institution's decision, all or nothing: its record, every replaced grade and its PDF, audited."""
    if not can_make_summative_decision(actor, institution):
        raise PermissionDenied
    period = period.strip().upper()
    period_parse(period)
    if not disciplines or any(d.institution_id != institution.pk for d in disciplines):
        raise ValidationError({"disciplines": _("Choose the disciplines of this institution.")})
    if (
        groups
        and Group.objects.filter(pk__in=[g.pk for g in groups])
        .exclude(programme__department__institution=institution)
        .exists()
    ):
        raise PermissionDenied
    preview = summative_preview(institution=institution, disciplines=disciplines, period=period, groups=groups)
    if not preview:
        raise ValidationError(
            _("No student has current or midterm scores in these disciplines for %(period)s.") % {"period": period}
        )
    decision = SummativeDecision(
        institution=institution,
        period=period,
        number=number.strip(),
        date=date,
        decided_by=actor,
        decided_at=now or timezone.now(),
    )
    repeated = ValidationError({"number": _("A decision with this number and date is recorded already.")})
    if SummativeDecision.objects.filter(institution=institution, number=decision.number, date=date).exists():
        raise repeated
    decision.full_clean(exclude=["replaced", "document"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:  # the same decision recorded at the same moment by someone else
        raise repeated from exc
    decision.disciplines.set(disciplines)
    decision.groups.set(groups or [])
    decision.replaced = summative_replace_list(actor=actor, disciplines=disciplines, period=period, groups=groups)
    decision.document = document_render(
        kind="summative_decision",
        template="applications/summative_decision_pdf.html",
        context={"decision": decision, "rows": preview, "institution": institution},
        language=translation.get_language() or "kk",
        about=decision,
        actor=actor,
        filename=f"summative-{decision.pk}.pdf",
    )
    decision.save(update_fields=["replaced", "document"])
    audit_record(
        actor=actor,
        verb="summative_decision.make",
        obj=decision,
        after={
            "number": decision.number,
            "date": str(date),
            "period": period,
            "replaced": decision.replaced,
            "disciplines": sorted(d.code for d in disciplines),
        },
    )
    return decision

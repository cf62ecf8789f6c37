"""The summary vedomost of a student's whole study (R37, for the archive), from the imported transcripts."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from attestation.documents.models import Document
from attestation.documents.render import document_render
from attestation.grading.scale import Grade, Scale
from attestation.institutions.models import Student
from commissions.models import Commission, Result
from exams.applications.models import TranscriptRow

CENT = Decimal("0.01")


@dataclass
class SummaryRow:
    period: str
    code: str
    name: str
    credits: int
    points: Decimal
    grade: Grade


def summary_rows(student: Student, scale: Scale, language: str) -> list[SummaryRow]:
    """Every final control score of the student, by period and discipline code, with its grade on the scale."""
    rows = (
        TranscriptRow.objects.filter(student=student, kind=TranscriptRow.Kind.FINAL)
        .select_related("discipline")
        .order_by("period", "discipline__code")
    )
    return [
        SummaryRow(
            row.period,
            row.discipline.code,
            getattr(row.discipline, f"name_{language}") or row.discipline.name_kk,
            row.discipline.credits,
            row.points,
            scale.from_points(row.points),
        )
        for row in rows
    ]


def weighted_gpa(rows: list[SummaryRow]) -> Decimal | None:
    """The GPA over the whole study, weighted by credits (rows without a GPA value are left out)."""
    counted = [(r.grade.gpa, r.credits) for r in rows if r.grade.gpa is not None and r.credits]
    credits = sum(c for _, c in counted)
    if not credits:
        return None
    return (sum(g * c for g, c in counted) / credits).quantize(CENT, rounding=ROUND_HALF_UP)


def summary_render(*, actor, student: Student, commission: Commission, language: str) -> Document:
    """Renders the student's summary vedomost as a PDF in the programme's language."""
    scale = Scale.for_institution(student.institution_id)
    rows = summary_rows(student, scale, language)
    results = list(
        Result.objects.filter(slot__student=student, slot__sitting__commission__kind=commission.kind)
        .select_related("slot__sitting__commission")
        .order_by("slot__starts_at")
    )
    context = {
        "student": student,
        "rows": rows,
        "gpa": weighted_gpa(rows),
        "results": results,
        "credits": sum(r.credits for r in rows),
        "commission": commission,
        "institution": commission.institution,
        "programme": student.group.programme,
    }
    return document_render(
        kind="yearend_summary_vedomost",
        template="yearend/summary_vedomost_pdf.html",
        context=context,
        language=language,
        about=student,
        actor=actor,
        filename=f"summary-{student.pk}.pdf",
    )

"""The chair's report on the final attestation (R38): grade distribution per programme, degree decisions, text."""

import uuid
from collections import Counter

from django.db import transaction
from django.utils import timezone, translation

from attestation.documents.render import document_render
from attestation.grading.models import Traditional
from commissions.models import DocumentJob, Paper, Result, VoteRound
from commissions.papers import context as ctx
from commissions.papers.progress import progress

LETTERS = ["A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "FX", "F", "I"]


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _final_per_student(rows) -> list:
    """The row of each student's latest slot (sitting date, then start time), one per student."""
    latest: dict = {}
    for row in rows:
        key = (row.slot.sitting.date, row.slot.starts_at, row.slot.pk)
        if row.slot.student_id not in latest or key > latest[row.slot.student_id][0]:
            latest[row.slot.student_id] = (key, row)
    return [row for _key, row in latest.values()]


def report_figures(*, commission) -> dict:
    """Per programme: how many of each letter and traditional mark, with shares; the degree decisions.

    Each student counts once, with their final result: the announced result of their latest slot (a student who
    sat again after a technical failure or was graded twice is not counted twice); the same for degree votes.
    """
    results = _final_per_student(
        Result.objects.filter(slot__sitting__commission=commission, announced_at__isnull=False).select_related(
            "slot__sitting", "slot__student__group__programme"
        )
    )
    by_programme: dict = {}
    for result in results:
        by_programme.setdefault(result.slot.student.group.programme, []).append(result)
    programmes = []
    for programme, rows in sorted(by_programme.items(), key=lambda item: item[0].code):
        letters, marks = Counter(r.letter for r in rows), Counter(r.traditional for r in rows)
        programmes.append(
            {
                "programme": programme,
                "total": len(rows),
                "letters": [
                    {"letter": x, "count": letters[x], "share": _share(letters[x], len(rows))} for x in LETTERS if letters[x]
                ],
                "marks": [
                    {"label": label, "count": marks[value], "share": _share(marks[value], len(rows))}
                    for value, label in Traditional.choices
                    if marks[value]
                ],
            }
        )
    rounds = _final_per_student(
        VoteRound.objects.filter(slot__sitting__commission=commission, closed_at__isnull=False).select_related(
            "slot__sitting"
        )
    )
    awarded = sum(1 for r in rounds if r.awarded)
    return {
        "programmes": programmes,
        "total": len(results),
        "degree": {"held": len(rounds), "awarded": awarded, "refused": len(rounds) - awarded},
    }


def report_context(*, commission, paper_id, text: str) -> dict:
    """The report's document: the figures, the chair's text, the commission's heading."""
    return {**ctx._base(commission, paper_id), **report_figures(commission=commission), "text": text}


def report_render(job: DocumentJob) -> None:
    """Renders the chair's report in the language most of the commission's students study in."""
    progress(job.pk, total=2)
    paper_id, commission = uuid.uuid4(), job.commission
    language = ctx.commission_language(commission)
    with translation.override(language):
        context = report_context(commission=commission, paper_id=paper_id, text=job.text)
    progress(job.pk, done=1)
    with translation.override(language), transaction.atomic():
        document = document_render(
            kind="commissions_report",
            template="documents/commissions_report.html",
            context=context,
            language=language,
            about=commission,
            actor=job.requested_by,
            filename=f"report-{commission.pk}-{paper_id.hex[:8]}.pdf",
        )
        Paper.objects.create(
            id=paper_id, kind=Paper.Kind.REPORT, commission=commission, document=document, created_at=timezone.now()
        )
        DocumentJob.objects.filter(pk=job.pk).update(output=document, done=2)

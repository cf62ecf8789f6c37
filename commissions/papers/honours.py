"""Whether a student qualifies for the diploma with honours (үздік диплом / диплом с отличием).

REFERENCE.md (order No. 595): every exam grade A/A- or B+/B/B-/C+, GPA at least 3.5, and the complex exam or
thesis graded A or A-. The thresholds are the commission's (GPA points on the institution's scale, so a scale with
other letters still works); the exam grades are the final-control scores of the student's transcript. Where the
portal lacks the data it says so instead of guessing.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from attestation.grading.scale import Scale
from commissions.extensions import transcript_scores
from commissions.models import Commission, Result


class Verdict:
    WITH = "with"
    WITHOUT = "without"
    UNKNOWN = "unknown"


@dataclass
class Honours:
    verdict: str
    gpa: Decimal | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def qualifies(self) -> bool:
        return self.verdict == Verdict.WITH


def honours_verdict(
    *, commission: Commission, result: Result | None, scores: list[tuple[Decimal, int]], scale: Scale
) -> Honours:
    """The verdict for one student from the attestation result and the transcript's (points, credits)."""
    if result is None or result.gpa is None:
        return Honours(Verdict.UNKNOWN, reasons=[_("the attestation has no final grade yet")])
    if result.gpa < commission.honours_min_attestation_gpa:  # decides it whatever the transcript holds
        return Honours(
            Verdict.WITHOUT,
            reasons=[_("the attestation grade %(letter)s is below the threshold") % {"letter": result.letter}],
        )
    if not scores:
        return Honours(Verdict.UNKNOWN, reasons=[_("no exam grades of the transcript are in the portal")])
    grades = [(scale.from_points(points), credits) for points, credits in scores]
    credits_total = sum(credits for _grade, credits in grades)
    gpa = (
        (sum(Decimal(g.gpa or 0) * credits for g, credits in grades) / credits_total).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if credits_total
        else Decimal(0)
    )
    reasons = []
    low = sorted({g.letter for g, _credits in grades if (g.gpa or 0) < commission.honours_min_discipline_gpa})
    if low:
        reasons.append(_("exam grades below the threshold: %(letters)s") % {"letters": ", ".join(low)})
    if gpa < commission.honours_min_gpa:
        # In the document's language (2,22 in Kazakh and Russian): the reason is read beside the localized grades.
        gpa_text, min_text = number_format(gpa, 2), number_format(commission.honours_min_gpa, 2)
        reasons.append(_("GPA %(gpa)s is below %(min)s") % {"gpa": gpa_text, "min": min_text})
    return Honours(Verdict.WITHOUT if reasons else Verdict.WITH, gpa=gpa, reasons=reasons)


def honours_for(*, commission: Commission, rows: list[tuple[int, Result | None]], scale: Scale) -> dict[int, Honours]:
    """Verdicts for (student_id, result) pairs: one transcript query for all of them."""
    transcript = transcript_scores(student_id for student_id, _result in rows)
    return {
        student_id: honours_verdict(commission=commission, result=result, scores=transcript[student_id], scale=scale)
        for student_id, result in rows
    }

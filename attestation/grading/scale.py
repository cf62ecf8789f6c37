"""The one place that converts points ⇄ letter ⇄ traditional mark (and the colleges' 5-point mark).

A band covers points from its `min_points` up to the next band's `min_points` (exclusive), so fractional
points such as 94.5 fall in A- (90-94) and never between bands.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attestation.grading.models import GradeBand, GradeScale, Traditional

INCOMPLETE = "I"

# The default table (MES order No. 152, as amended), with the colleges' 5-point mapping. Seed data an
# institution edits, not rules in code.
DEFAULT_BANDS = [
    ("A", "4.00", 95, 100, Traditional.EXCELLENT, 5),
    ("A-", "3.67", 90, 94, Traditional.EXCELLENT, 5),
    ("B+", "3.33", 85, 89, Traditional.GOOD, 4),
    ("B", "3.00", 80, 84, Traditional.GOOD, 4),
    ("B-", "2.67", 75, 79, Traditional.GOOD, 4),
    ("C+", "2.33", 70, 74, Traditional.GOOD, 3),
    ("C", "2.00", 65, 69, Traditional.SATISFACTORY, 3),
    ("C-", "1.67", 60, 64, Traditional.SATISFACTORY, 3),
    ("D+", "1.33", 55, 59, Traditional.SATISFACTORY, 3),
    ("D", "1.00", 50, 54, Traditional.SATISFACTORY, 3),
    ("FX", "0.50", 25, 49, Traditional.UNSATISFACTORY, 2),
    ("F", "0.00", 0, 24, Traditional.UNSATISFACTORY, 2),
]


@dataclass(frozen=True)
class Grade:
    letter: str
    gpa: Decimal | None
    traditional: str
    traditional_label: str
    five_point: int | None
    points: Decimal | None = None

    @property
    def is_temporary(self) -> bool:
        return self.letter == INCOMPLETE


@dataclass(frozen=True)
class ScoredGrade(Grade):
    """A grade converted from points: the points are always there."""

    points: Decimal = Decimal(0)


class Scale:
    """A grade scale loaded once (one query) and converted in memory."""

    def __init__(self, bands: list[GradeBand], uses_five_point: bool = False):
        self.numeric = sorted((b for b in bands if not b.is_temporary), key=lambda b: b.min_points, reverse=True)
        self.by_letter = {b.letter: b for b in bands}
        self.uses_five_point = uses_five_point

    @classmethod
    def for_institution(cls, institution_id: int, on=None) -> "Scale":
        scales = GradeScale.objects.filter(institution_id=institution_id)
        if on is not None:
            scales = scales.filter(valid_from__lte=on)
        scale = scales.order_by("-valid_from").first()
        if scale is None:
            raise GradeScale.DoesNotExist(f"Institution {institution_id} has no grade scale.")
        return cls(list(scale.bands.all()), scale.uses_five_point)

    def _fields(self, band: GradeBand) -> dict:
        return {
            "letter": band.letter,
            "gpa": band.gpa,
            "traditional": band.traditional,
            "traditional_label": Traditional(band.traditional).label,
            "five_point": band.five_point if self.uses_five_point else None,
        }

    def from_points(self, points) -> ScoredGrade:
        top = self.numeric[0].max_points
        try:
            value = Decimal(str(points).strip())
        except (InvalidOperation, ValueError):
            value = Decimal("NaN")
        if not value.is_finite() or value < 0 or value > top:
            raise ValidationError(_("Points must be between 0 and %(top)s.") % {"top": top}, code="points_range")
        for band in self.numeric:
            if value >= band.min_points:
                return ScoredGrade(**self._fields(band), points=value)
        raise ValidationError(_("No grade band covers %(points)s points.") % {"points": value})

    def from_letter(self, letter: str) -> Grade:
        band = self.by_letter.get(letter.strip().upper())
        if band is None:
            raise ValidationError(_("Unknown letter grade: %(letter)s.") % {"letter": letter}, code="letter")
        return Grade(**self._fields(band))

    def points_range(self, letter: str) -> tuple[Decimal, Decimal]:
        band = self.by_letter[letter]
        return band.min_points, band.max_points


def grade_scale_create_default(*, institution, valid_from, uses_five_point: bool) -> GradeScale:
    """Creates the default letter scale (plus the temporary I) for an institution; a college's (TVET) scale also
    gives the 5-point mark."""
    scale = GradeScale.objects.create(
        institution=institution,
        name=_("Point-rating letter system"),
        valid_from=valid_from,
        uses_five_point=uses_five_point,
    )
    bands = [
        GradeBand(
            scale=scale, letter=letter, gpa=Decimal(gpa), min_points=lo, max_points=hi, traditional=trad, five_point=five
        )
        for letter, gpa, lo, hi, trad, five in DEFAULT_BANDS
    ]
    bands.append(GradeBand(scale=scale, letter=INCOMPLETE, traditional=Traditional.INCOMPLETE, is_temporary=True))
    GradeBand.objects.bulk_create(bands)
    return scale

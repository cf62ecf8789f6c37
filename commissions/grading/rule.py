"""The commission's grade from its members' grades, by the institution's rule (R33): one function."""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attestation.grading.scale import Grade, Scale
from attestation.institutions.models import Policy


@dataclass(frozen=True)
class Vote:
    """A member's grade as the rule sees it."""

    points: Decimal
    letter: str
    is_chair: bool = False


class TieUndecided(ValidationError):
    """Letters tie and the chair's letter is not among the leaders: the chair must pick one of `letters`."""

    def __init__(self, letters: list[str]):
        self.letters = letters
        super().__init__(
            _("The letters %(letters)s are tied; the chair decides which one stands.") % {"letters": ", ".join(letters)},
            code="tie",
        )


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def commission_grade(*, rule: str, votes: list[Vote], scale: Scale, tie_break: str | None = None) -> Grade:
    """The commission's grade.

    mean_points: the mean of the members' points (to 0.01, half up) converted by the scale.
    majority_letter: the letter most members gave; on a tie the chair's letter wins if it is among the leaders,
    otherwise the chair's `tie_break` (one of the tied letters); the points are the mean of that letter's givers.
    """
    if not votes:
        raise ValidationError(_("No member has graded yet."), code="no_grades")
    if rule == Policy.GradeRule.MEAN_POINTS:
        return scale.from_points(_mean([v.points for v in votes]))
    counts = Counter(v.letter for v in votes)
    top = max(counts.values())
    leaders = sorted((letter for letter, n in counts.items() if n == top), key=lambda x: -scale.from_letter(x).gpa)
    letter = leaders[0]
    if len(leaders) > 1:
        chair_letter = next((v.letter for v in votes if v.is_chair), None)
        if chair_letter in leaders:
            letter = chair_letter
        elif tie_break in leaders:
            letter = tie_break
        else:
            raise TieUndecided(leaders)
    grade = scale.from_letter(letter)
    points = _mean([v.points for v in votes if v.letter == letter])
    return Grade(grade.letter, grade.gpa, grade.traditional, grade.traditional_label, grade.five_point, points)

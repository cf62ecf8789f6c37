from decimal import Decimal

import pytest

from attestation.grading.scale import Scale
from commissions.grading.rule import TieUndecided, Vote, commission_grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale(world):
    return Scale.for_institution(world.institution.pk)


def votes(*items):
    return [Vote(Decimal(p), letter, chair) for p, letter, chair in items]


def test_mean_points_converts_the_mean_by_the_scale(scale):
    grade = commission_grade(
        rule="mean_points", scale=scale, votes=votes(("96", "A", True), ("90", "A-", False), ("88", "B+", False))
    )
    assert (grade.points, grade.letter, grade.traditional) == (Decimal("91.33"), "A-", "excellent")


def test_mean_points_rounds_half_up_to_hundredths(scale):
    grade = commission_grade(rule="mean_points", scale=scale, votes=votes(("94", "A-", True), ("95.01", "A", False)))
    assert grade.points == Decimal("94.51")
    assert grade.letter == "A-"


def test_majority_letter_takes_the_most_given_letter(scale):
    grade = commission_grade(
        rule="majority_letter", scale=scale, votes=votes(("80", "B", True), ("84", "B", False), ("96", "A", False))
    )
    assert (grade.letter, grade.points) == ("B", Decimal("82.00"))


def test_majority_letter_tie_goes_to_the_chairs_letter(scale):
    grade = commission_grade(
        rule="majority_letter",
        scale=scale,
        votes=votes(("80", "B", False), ("96", "A", True), ("81", "B", False), ("95", "A", False)),
    )
    assert grade.letter == "A"
    assert grade.points == Decimal("95.50")


def test_majority_letter_tie_without_the_chair_among_leaders_needs_the_chairs_decision(scale):
    ballots = votes(("80", "B", False), ("82", "B", False), ("96", "A", False), ("95", "A", False), ("70", "C+", True))
    with pytest.raises(TieUndecided) as info:
        commission_grade(rule="majority_letter", scale=scale, votes=ballots)
    assert info.value.letters == ["A", "B"]
    assert commission_grade(rule="majority_letter", scale=scale, votes=ballots, tie_break="B").letter == "B"


def test_no_grades_is_an_error(scale):
    with pytest.raises(Exception, match="graded"):
        commission_grade(rule="mean_points", scale=scale, votes=[])

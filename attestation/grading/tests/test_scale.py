from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from attestation.grading.scale import DEFAULT_BANDS, Scale
from attestation.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale(world):
    return Scale.for_institution(world.institution.pk)


BOUNDARIES = [(lo, letter) for letter, _g, lo, _hi, _t, _f in DEFAULT_BANDS] + [
    (hi, letter) for letter, _g, _lo, hi, _t, _f in DEFAULT_BANDS
]


@pytest.mark.parametrize(("points", "letter"), BOUNDARIES)
def test_every_band_boundary_gives_its_letter(scale, points, letter):
    assert scale.from_points(points).letter == letter


@pytest.mark.parametrize(("points", "letter"), [("94.5", "A-"), ("94.99", "A-"), ("49.9", "FX"), ("24.5", "F")])
def test_fractional_points_fall_in_the_lower_band(scale, points, letter):
    assert scale.from_points(Decimal(points)).letter == letter


@pytest.mark.parametrize(
    ("points", "gpa", "traditional"),
    [
        (100, "4.00", "excellent"),
        (90, "3.67", "excellent"),
        (89, "3.33", "good"),
        (70, "2.33", "good"),
        (69, "2.00", "satisfactory"),
        (50, "1.00", "satisfactory"),
        (49, "0.50", "unsatisfactory"),
        (0, "0.00", "unsatisfactory"),
    ],
)
def test_points_give_gpa_and_traditional_mark(scale, points, gpa, traditional):
    grade = scale.from_points(points)
    assert grade.gpa == Decimal(gpa)
    assert grade.traditional == traditional


@pytest.mark.parametrize("points", [-1, "100.01", 101])
def test_points_outside_the_scale_are_refused(scale, points):
    with pytest.raises(ValidationError):
        scale.from_points(points)


def test_letter_converts_back_to_its_points_range(scale):
    assert scale.points_range("B+") == (Decimal(85), Decimal(89))
    assert scale.from_letter("b+").traditional == "good"


def test_incomplete_is_a_temporary_grade(scale):
    grade = scale.from_letter("I")
    assert grade.is_temporary
    assert grade.gpa is None


def test_traditional_mark_is_translated(scale):
    with translation.override("ru"):
        assert scale.from_points(95).traditional_label == "отлично"
    with translation.override("kk"):
        assert scale.from_points(95).traditional_label == "өте жақсы"


def test_college_scale_gives_the_five_point_mark(db):
    world = World.build(kind="tvet")
    scale = Scale.for_institution(world.institution.pk)
    assert [scale.from_points(p).five_point for p in (95, 90, 80, 74, 50, 49)] == [5, 5, 4, 3, 3, 2]

"""Properties of the grade scale for any points value."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attestation.grading.scale import Scale

pytestmark = pytest.mark.django_db
points = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@pytest.fixture
def scale(world):
    return Scale.for_institution(world.institution.pk)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=points)
def test_points_fall_in_the_band_of_their_letter(scale, value):
    grade = scale.from_points(value)
    low, high = scale.points_range(grade.letter)
    assert low <= value < high + 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=points, b=points)
def test_more_points_never_give_a_lower_gpa(scale, a, b):
    low, high = sorted([a, b])
    assert scale.from_points(low).gpa <= scale.from_points(high).gpa


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=points)
def test_letter_round_trip(scale, value):
    grade = scale.from_points(value)
    assert scale.from_letter(grade.letter).gpa == grade.gpa
    assert Decimal(grade.points) == value

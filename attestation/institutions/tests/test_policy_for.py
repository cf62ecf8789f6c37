"""policy_for: a commission's own academic year; for an institution, the academic year in force on the day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from attestation.institutions.policies import academic_year_of, policy_find, policy_for


@pytest.fixture
def next_year(world):
    policy = world.institution.policies.get(academic_year=2019)
    policy.pk, policy.academic_year = None, 2020
    policy.save()
    return policy


@pytest.mark.parametrize(
    ("day", "year"), [(dt.date(2020, 5, 12), 2019), (dt.date(2020, 8, 31), 2019), (dt.date(2020, 9, 1), 2020)]
)
def test_the_academic_year_starts_on_the_first_of_september(day, year):
    assert academic_year_of(day) == year


def test_an_institution_gets_the_policy_in_force_on_the_day_not_the_latest(world, next_year):
    assert policy_for(world.institution, on=dt.date(2020, 5, 12)).academic_year == 2019
    assert policy_for(world.institution.pk, on=dt.date(2020, 9, 1)) == next_year


def test_a_commission_gets_its_own_years_policy(world, next_year):
    assert policy_for(world.commission).academic_year == 2019


def test_a_year_without_a_policy_is_refused_with_the_year_to_create(world):
    assert policy_find(world.institution, on=dt.date(2021, 1, 10)) is None
    with pytest.raises(ValidationError, match="2020"):
        policy_for(world.institution, on=dt.date(2021, 1, 10))

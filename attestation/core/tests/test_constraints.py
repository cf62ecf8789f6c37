"""A model's check constraints validated in one query (attestation/core/constraints.py): the errors are Django's own,
for the policy's 75 check constraints, at the cost of one query instead of three statements each."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from attestation.institutions.models import Policy

pytestmark = pytest.mark.django_db


def _errors(validate, policy, exclude=None) -> dict:
    try:
        with translation.override("en"):
            validate(policy, exclude=exclude)
    except ValidationError as e:
        return {field: sorted(str(m) for m in messages) for field, messages in e.message_dict.items()}
    return {}


def _djangos(policy, exclude=None):
    models.Model.validate_constraints(policy, exclude=exclude)


def _broken(world) -> Policy:
    """A policy that breaks ranges, bounds, the pairs of fields and the one-per-year uniqueness at once."""
    policy = world.institution.policies.get()
    policy.pk = None
    policy.academic_hour_minutes = 2  # out of its range
    policy.defense_total_minutes = 45  # above the documents' maximum
    policy.speech_min_minutes, policy.speech_max_minutes = 15, 10  # swapped
    policy.quorum_numerator, policy.quorum_denominator = 5, 3  # not a share
    policy.sitting_day_start, policy.sitting_day_end = dt.time(18), dt.time(9)
    policy.honours_min_gpa = Decimal("1.00")
    return policy


@pytest.mark.parametrize(
    "exclude", [None, {"speech_min_minutes"}, {"academic_hour_minutes", "quorum_denominator", "institution"}]
)
def test_a_policy_that_breaks_many_constraints_gets_the_errors_django_gives(world, exclude):
    policy = _broken(world)
    mine, djangos = _errors(Policy.validate_constraints, policy, exclude), _errors(_djangos, policy, exclude)
    assert mine == djangos
    assert sum(len(messages) for messages in mine.values()) >= 4


def test_a_valid_policy_gets_no_error(world):
    policy = world.institution.policies.get()
    assert _errors(Policy.validate_constraints, policy) == {} == _errors(_djangos, policy)


def test_the_check_constraints_of_a_policy_cost_one_query(world):
    policy = world.institution.policies.get()
    with CaptureQueriesContext(connection) as queries:
        policy.validate_constraints()
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    checks = sum(isinstance(c, models.CheckConstraint) for c in Policy._meta.constraints)
    assert checks > 70
    assert len(selects) == 2  # the check constraints, and the one policy per year
    assert len(queries.captured_queries) <= 4  # and a savepoint around the first

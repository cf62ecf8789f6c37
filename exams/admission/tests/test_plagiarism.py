import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from attestation.core.models import AuditEvent
from exams.admission import services
from exams.admission.models import AdmissionDecision, PlagiarismCheck
from exams.admission.selectors import student_admission_for

from .conftest import register


def _check(thesis, head, *, passed, paid=False):
    return services.plagiarism_check_record(
        actor=head,
        thesis=thesis,
        checked_on=dt.date(2020, 5, 4),
        similarity=Decimal("45"),
        originality=Decimal("55"),
        passed=passed,
        paid=paid,
    )


@pytest.fixture
def thesis(world, supervisor, reviewer):
    return register(world.student, supervisor, reviewer)


def test_first_check_is_free(thesis, head):
    with pytest.raises(ValidationError):
        _check(thesis, head, passed=True, paid=True)


def test_second_check_may_be_paid_and_passing_it_admits_the_check(thesis, head):
    _check(thesis, head, passed=False)
    _check(thesis, head, passed=True, paid=True)
    assert student_admission_for(student=thesis.student).conditions[2].ok
    assert not AdmissionDecision.objects.exists()


def test_policy_maximum_of_two_checks_is_enforced(thesis, head):
    _check(thesis, head, passed=False)
    _check(thesis, head, passed=False, paid=True)
    with pytest.raises(ValidationError):
        _check(thesis, head, passed=False, paid=True)
    assert PlagiarismCheck.objects.filter(thesis=thesis).count() == 2


def test_a_lower_policy_maximum_is_enforced_by_the_service(thesis, head, world):
    world.institution.policies.update(plagiarism_max_checks=1)
    _check(thesis, head, passed=False)
    with pytest.raises(ValidationError):
        _check(thesis, head, passed=True, paid=True)
    assert AdmissionDecision.objects.get(student=thesis.student).final_grade == "F"


def test_database_refuses_a_third_attempt(thesis, head):
    with pytest.raises(IntegrityError):
        PlagiarismCheck.objects.create(
            thesis=thesis,
            attempt_number=3,
            checked_on=dt.date(2020, 5, 4),
            similarity_percent=1,
            originality_percent=99,
            passed=True,
            recorded_by=head,
            recorded_at=thesis.created_at,
        )


def test_failing_the_first_check_is_not_final(thesis, head):
    _check(thesis, head, passed=False)
    assert not AdmissionDecision.objects.exists()


def test_failing_the_last_allowed_check_means_not_admitted_with_f(thesis, head, defense):
    _check(thesis, head, passed=False)
    _check(thesis, head, passed=False, paid=True)
    decision = AdmissionDecision.objects.get(student=thesis.student)
    assert decision.outcome == AdmissionDecision.Outcome.NOT_ADMITTED
    assert decision.final_grade == "F"
    assert AuditEvent.objects.filter(verb="admission.not_admitted_f", actor=head).exists()
    status = student_admission_for(student=thesis.student)
    assert status.refused and not status.green
    assert "F" in services.admission_refusal(student=thesis.student, commission=defense)

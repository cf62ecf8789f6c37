"""The schedule's slot status follows the attempt, in the transition itself: never a second place to forget."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from attestation.core.models import AuditEvent
from commissions.models import Slot
from exams import services, states
from exams.models import Attempt
from exams.tests.conftest import admitted, move, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State


def status(world, student=None) -> str:
    return Slot.objects.get(pk=slot_of(world, student or world.student).pk).status


def fresh(world) -> Attempt:
    return services.attempt_for_slot(slot=slot_of(world, world.student))


def test_every_attempt_state_says_what_the_slot_shows():
    assert set(states.SLOT_STATUS) == set(S.values)
    assert set(states.SLOT_STATUS.values()) <= set(Slot.Status.values)


def test_identified_student_is_in_the_call_and_finished_student_is_done(world):
    attempt = move(fresh(world), S.IDENTIFIED, actor=world.secretary)
    assert status(world) == Slot.Status.CONFIRMED
    move(attempt, S.ADMITTED, S.ANSWERING, S.FINISHED, actor=world.secretary)
    assert status(world) == Slot.Status.DONE


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((S.ABSENT,), Slot.Status.ABSENT),
        ((S.POSTPONED,), Slot.Status.POSTPONED),
        ((S.TECHNICAL_FAILURE,), Slot.Status.POSTPONED),
        ((S.IDENTIFIED, S.STOPPED), Slot.Status.DONE),
        ((S.ABSENT, S.POSTPONED), Slot.Status.POSTPONED),
    ],
)
def test_the_slot_status_follows_the_attempts_end(world, path, expected):
    move(fresh(world), *path, actor=world.secretary)
    assert status(world) == expected


def test_only_the_students_own_slot_changes(world):
    admitted(world)
    assert status(world) == Slot.Status.CONFIRMED
    assert status(world, world.other_student) == Slot.Status.SCHEDULED


def test_a_refused_transition_leaves_the_slot_as_it_was(world):
    attempt = move(fresh(world), S.ABSENT, actor=world.secretary)
    with pytest.raises(ValidationError):
        services.attempt_transition(attempt=attempt, to_state=S.FINISHED, actor=world.secretary)
    assert status(world) == Slot.Status.ABSENT


def test_the_slot_change_is_in_the_transitions_audit_record(world):
    move(fresh(world), S.IDENTIFIED, actor=world.secretary)
    event = AuditEvent.objects.filter(verb="attempt.transition").latest("pk")
    assert event.before["slot_status"] == Slot.Status.SCHEDULED
    assert event.after["slot_status"] == Slot.Status.CONFIRMED


def test_the_slot_change_is_rolled_back_with_a_transaction_that_fails(world):
    attempt = fresh(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attempt_transition(attempt=attempt, to_state=S.ABSENT, actor=world.secretary)
        raise RuntimeError("the caller's next step fails")
    assert status(world) == Slot.Status.SCHEDULED
    attempt.refresh_from_db()
    assert attempt.state == S.SCHEDULED

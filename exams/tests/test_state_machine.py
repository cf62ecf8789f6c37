import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from attestation.core.models import AuditEvent
from exams import services, states
from exams.models import Attempt, Transition
from exams.tests.conftest import slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State
ILLEGAL = [(a, b) for a in S.values for b in S.values if not states.allowed(a, b)]
LEGAL = [(a, b) for a in S.values for b in S.values if states.allowed(a, b)]


def attempt_in(world, state, kind: str | None = None) -> Attempt:
    attempt = services.attempt_for_slot(slot=slot_of(world, world.student))
    Attempt.objects.filter(pk=attempt.pk).update(state=state, resume_state=S.PREPARING, kind=kind or attempt.kind)
    attempt.refresh_from_db()
    return attempt


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_leaves_no_trace(world, from_state, to_state):
    attempt = attempt_in(world, from_state)
    with pytest.raises(ValidationError) as exc:
        services.attempt_transition(attempt=attempt, to_state=to_state, actor=world.secretary)
    assert exc.value.code == "illegal_transition"
    assert "cannot go to" in exc.value.messages[0]
    attempt.refresh_from_db()
    assert attempt.state == from_state
    assert not Transition.objects.filter(attempt=attempt).exists()


@pytest.mark.parametrize(("from_state", "to_state"), LEGAL)
def test_every_allowed_transition_records_who_and_when(world, from_state, to_state):
    # admitted → writing is a computer-based test's start (no ticket); an exam is refused it (test_testing.py)
    attempt = attempt_in(
        world, from_state, Attempt.Kind.TESTING if (from_state, to_state) == (S.ADMITTED, S.WRITING) else None
    )
    services.attempt_transition(attempt=attempt, to_state=to_state, actor=world.secretary)
    attempt.refresh_from_db()
    assert attempt.state == to_state
    transition = Transition.objects.get(attempt=attempt)
    assert (transition.from_state, transition.to_state, transition.actor) == (from_state, to_state, world.secretary)
    assert transition.at is not None
    assert AuditEvent.objects.filter(verb="attempt.transition", object_id=str(attempt.pk)).exists()


def test_the_happy_path_of_an_oral_exam_is_allowed_in_order():
    path = [S.SCHEDULED, S.IDENTIFIED, S.ADMITTED, S.TICKET_DRAWN, S.PREPARING, S.ANSWERING, S.FINISHED]
    assert all(states.allowed(a, b) for a, b in zip(path, path[1:], strict=False))


def test_finished_and_postponed_are_final():
    assert not states.TRANSITIONS[S.FINISHED] and not states.TRANSITIONS[S.POSTPONED]


def test_one_attempt_per_slot_is_a_database_constraint(world):
    slot = slot_of(world, world.student)
    services.attempt_for_slot(slot=slot)
    assert services.attempt_for_slot(slot=slot).pk == Attempt.objects.get(slot=slot).pk
    with pytest.raises(IntegrityError):
        Attempt.objects.create(slot=slot, kind="oral")


@pytest.mark.parametrize("to_state", [S.TICKET_DRAWN, S.INTERRUPTED])
def test_console_buttons_cannot_make_moves_that_have_their_own_flow(world, to_state):
    attempt = attempt_in(world, S.ADMITTED)
    with pytest.raises(ValidationError):
        services.console_transition(attempt=attempt, to_state=to_state, actor=world.secretary)


def test_console_cannot_resolve_an_interruption_with_a_button(world):
    attempt = attempt_in(world, S.INTERRUPTED)
    with pytest.raises(ValidationError):
        services.console_transition(attempt=attempt, to_state=S.ADMITTED, actor=world.secretary)


def test_writing_sets_the_server_deadline_from_the_policy(world):
    attempt = attempt_in(world, S.TICKET_DRAWN)
    attempt = services.attempt_transition(attempt=attempt, to_state=S.WRITING, actor=world.secretary)
    minutes = (attempt.deadline_at - attempt.started_at).total_seconds() / 60
    assert minutes == 2 * 50  # policy: 2 academic hours of 50 minutes


def test_console_moves_follow_the_kind_of_attestation():
    assert S.ADMITTED in states.console_moves(S.IDENTIFIED, "oral")
    assert states.console_moves(S.ADMITTED, "oral") == [S.STOPPED, S.TECHNICAL_FAILURE]
    assert S.ANSWERING in states.console_moves(S.ADMITTED, "defense")
    assert S.WRITING not in states.console_moves(S.TICKET_DRAWN, "oral")

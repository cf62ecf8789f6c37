import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from exams import services
from exams.models import Attempt, Draw
from exams.tests.conftest import admitted, make_tickets, slot_of

S = Attempt.State


@pytest.mark.django_db
def test_a_student_not_yet_admitted_cannot_draw(world, tickets):
    attempt = services.attempt_for_slot(slot=slot_of(world, world.student))
    with pytest.raises(ValidationError, match="admitted"):
        services.ticket_draw(attempt=attempt, actor=world.student.user)
    assert not Draw.objects.exists()


@pytest.mark.django_db
def test_draw_shows_a_ticket_of_the_approved_set_and_starts_preparation(world, tickets):
    attempt = admitted(world)
    draw = services.ticket_draw(attempt=attempt, actor=world.student.user, card=4)
    attempt.refresh_from_db()
    assert draw.ticket.ticket_set == tickets
    assert attempt.state == S.PREPARING and attempt.started_at is not None
    assert list(attempt.transitions.values_list("to_state", flat=True))[-2:] == [S.TICKET_DRAWN, S.PREPARING]


@pytest.mark.django_db
def test_written_exam_draw_starts_the_written_timer(world, tickets, written):
    attempt = services.attempt_for_slot(slot=slot_of(world, world.student))
    assert attempt.kind == Attempt.Kind.WRITTEN
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    assert attempt.state == S.WRITING and attempt.deadline_at is not None


@pytest.mark.django_db
def test_second_draw_returns_first_ticket(world, tickets):
    attempt = admitted(world)
    first = services.ticket_draw(attempt=attempt, actor=world.student.user)
    second = services.ticket_draw(attempt=attempt, actor=world.student.user)
    assert first.pk == second.pk and Draw.objects.count() == 1


@pytest.mark.django_db
def test_without_replacement_two_students_of_a_sitting_never_share_a_ticket(world):
    make_tickets(world, tickets=2)
    a = services.ticket_draw(attempt=admitted(world, world.student), actor=world.student.user)
    b = services.ticket_draw(attempt=admitted(world, world.other_student), actor=world.other_student.user)
    assert a.ticket_id != b.ticket_id


@pytest.mark.django_db
def test_when_every_ticket_is_drawn_the_student_is_told(world):
    make_tickets(world, tickets=1)
    services.ticket_draw(attempt=admitted(world, world.student), actor=world.student.user)
    with pytest.raises(ValidationError, match="Every ticket has been drawn"):
        services.ticket_draw(attempt=admitted(world, world.other_student), actor=world.other_student.user)


@pytest.mark.django_db
def test_with_replacement_a_ticket_can_be_drawn_again(world):
    make_tickets(world, tickets=1)
    settings_ = services.exam_settings_for(world.commission)
    settings_.tickets_with_replacement = True
    settings_.save()
    a = services.ticket_draw(attempt=admitted(world, world.student), actor=world.student.user)
    b = services.ticket_draw(attempt=admitted(world, world.other_student), actor=world.other_student.user)
    assert a.ticket_id == b.ticket_id


@pytest.mark.django_db
def test_no_approved_tickets_means_no_draw(world):
    with pytest.raises(ValidationError, match="no approved tickets"):
        services.ticket_draw(attempt=admitted(world), actor=world.student.user)


@pytest.mark.django_db
def test_the_database_refuses_a_second_draw_row_for_one_attempt(world, tickets):
    attempt = admitted(world)
    draw = services.ticket_draw(attempt=attempt, actor=world.student.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(
            attempt=attempt,
            sitting=world.sitting,
            ticket=draw.ticket,
            without_replacement=False,
            card=1,
            drawn_at=draw.drawn_at,
        )


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.requires_postgres(reason="concurrent draws; SQLite locks the whole table instead")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_draws_of_one_student_give_one_ticket(world):
    make_tickets(world, tickets=6)
    attempt = admitted(world)
    results, errors = _race([lambda: services.ticket_draw(attempt=attempt, actor=world.student.user)] * 2)
    assert not errors
    assert Draw.objects.filter(attempt=attempt).count() == 1
    assert len({d.ticket_id for d in results}) == 1


@pytest.mark.requires_postgres(reason="concurrent draws; SQLite locks the whole table instead")
@pytest.mark.django_db(transaction=True)
def test_two_students_drawing_at_once_without_replacement_get_different_tickets(world):
    make_tickets(world, tickets=2)
    a, b = admitted(world, world.student), admitted(world, world.other_student)
    results, errors = _race(
        [
            lambda: services.ticket_draw(attempt=a, actor=world.student.user),
            lambda: services.ticket_draw(attempt=b, actor=world.other_student.user),
        ]
    )
    assert not errors
    assert len({d.ticket_id for d in results}) == 2

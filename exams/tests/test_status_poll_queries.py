"""The student's exam page polls its status every 2 s while the student waits: that poll must stay cheap."""

import pytest
from django.urls import reverse

from exams import services
from exams.models import Attempt, Draw
from exams.tests.conftest import admitted, move, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State


def test_waiting_students_poll_costs_three_queries(client, world, django_assert_num_queries):
    slot = slot_of(world, world.student)
    move(services.attempt_for_slot(slot=slot), S.IDENTIFIED, actor=world.secretary)
    client.force_login(world.student.user)
    url = reverse("exams:student_status", args=[slot.pk])
    with django_assert_num_queries(3):  # user, slot, attempt with its draw joined (the session is read from the cache)
        fragment = client.get(url).content.decode()
    assert 'data-state="identified"' in fragment and 'hx-trigger="every 2s"' in fragment


def test_the_poll_shows_the_drawn_ticket_and_its_questions(client, world, tickets):
    slot = slot_of(world, world.student)
    services.ticket_draw(attempt=admitted(world), actor=world.student.user, card=1)
    draw = Draw.objects.select_related("ticket").get(attempt__slot=slot)
    client.force_login(world.student.user)
    fragment = client.get(reverse("exams:student_status", args=[slot.pk])).content.decode()
    assert 'id="ticket-number"' in fragment
    for item in draw.ticket.items.select_related("question"):
        assert item.question.text in fragment

"""Which clocks the student's page, the desk and the console show: the oral preparation clock (lengthened by an
accommodation) while the student prepares, and the speech and defense clocks for a defense only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from attestation.institutions.policies import policy_for
from exams import clocks, services
from exams.models import Attempt
from exams.tests.conftest import admitted, move, slot_of
from exams.yearend import services as yearend

pytestmark = pytest.mark.django_db
S = Attempt.State
DURING = dt.datetime(2020, 5, 12, 9, 5, tzinfo=ZoneInfo("Asia/Almaty"))  # the world's sitting, 09:00-14:00


def _oral_answering(world):
    attempt = admitted(world)
    drawn = services.ticket_draw(attempt=attempt, actor=world.student.user)
    absent = services.attempt_for_slot(slot=slot_of(world, world.other_student))
    services.attempt_transition(attempt=absent, to_state=S.ABSENT, actor=world.secretary)
    later = dt.timedelta(minutes=policy_for(world.commission).oral_questioning_delay_minutes)  # R28
    with time_machine.travel(drawn.drawn_at + later, tick=False):
        return services.console_transition(attempt=attempt, to_state=S.ANSWERING, actor=world.secretary)


def test_an_oral_exams_answer_has_no_speech_or_defense_clock(world, tickets):
    attempt = _oral_answering(world)
    assert attempt.kind == Attempt.Kind.ORAL and attempt.answering_at is not None
    assert clocks.defense_clocks(attempt, policy_for(world.commission), attempt.answering_at) == []


def test_the_desk_and_the_students_page_of_an_oral_exam_show_no_defense_clocks(client, world, tickets):
    slot = slot_of(world, world.student)
    _oral_answering(world)
    client.force_login(world.secretary)
    desk = client.get(reverse("exams:desk", args=[slot.pk])).content.decode()
    assert "Speech, at most until" not in desk and "Whole defense until" not in desk
    client.force_login(world.student.user)
    status = client.get(reverse("exams:student_status", args=[slot.pk])).content.decode()
    assert 'data-state="answering"' in status
    assert "Speech:" not in status and "Defense:" not in status


def test_a_defense_still_shows_the_speech_and_defense_clocks(client, world):
    world.commission.form = "defense"
    world.commission.save()
    slot = slot_of(world, world.student)
    move(services.attempt_for_slot(slot=slot), S.IDENTIFIED, S.ADMITTED, S.ANSWERING, actor=world.secretary)
    client.force_login(world.secretary)
    desk = client.get(reverse("exams:desk", args=[slot.pk])).content.decode()
    assert "Speech, at most until" in desk and "Whole defense until" in desk


def test_the_preparation_clock_with_the_accommodations_extra_time_shows_on_the_page_desk_and_console(client, world, tickets):
    yearend.accommodation_set(actor=world.head, student=world.student, extra_minutes=15)
    slot = slot_of(world, world.student)
    minutes = policy_for(world.commission).oral_questioning_delay_minutes + 15
    with time_machine.travel(DURING, tick=False):
        services.ticket_draw(attempt=admitted(world), actor=world.student.user)
        client.force_login(world.student.user)
        status = client.get(reverse("exams:student_status", args=[slot.pk])).content.decode()
        client.force_login(world.secretary)
        desk = client.get(reverse("exams:desk", args=[slot.pk])).content.decode()
        queue = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    seconds = f'data-seconds="{minutes * 60}"'
    ends = (DURING + dt.timedelta(minutes=minutes)).strftime("%H:%M")
    assert "preparation-clock" in status and seconds in status
    assert "Preparation until" in desk and seconds in desk and ends in desk
    assert f"preparation until {ends}" in queue and seconds in queue


def test_the_preparation_clock_goes_once_the_student_answers(client, world, tickets):
    slot = slot_of(world, world.student)
    _oral_answering(world)
    client.force_login(world.student.user)
    assert "preparation-clock" not in client.get(reverse("exams:student_status", args=[slot.pk])).content.decode()
    client.force_login(world.secretary)
    assert "preparation-clock" not in client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()

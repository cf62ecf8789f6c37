"""R28 enforced, not only shown: the oral questioning of the first student starts the policy's minutes after the last
student of the sitting has drawn; the secretary's "Start answering" is refused before, with the time it may start."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.institutions.models import Policy
from exams import services
from exams.models import Attempt
from exams.tests.conftest import admitted, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State
ALMATY = ZoneInfo("Asia/Almaty")
NINE = dt.datetime(2020, 5, 12, 9, 0, tzinfo=ALMATY)  # the world's sitting, 09:00-14:00


def _both_drawn(world):
    with time_machine.travel(NINE, tick=False):
        first = admitted(world)
        services.ticket_draw(attempt=first, actor=world.student.user)
    with time_machine.travel(NINE + dt.timedelta(minutes=10), tick=False):
        services.ticket_draw(attempt=admitted(world, world.other_student), actor=world.other_student.user)
    return first


def test_questioning_before_the_policy_delay_after_the_last_draw_is_refused_with_the_time(world, tickets):
    first = _both_drawn(world)
    with time_machine.travel(NINE + dt.timedelta(minutes=39), tick=False), pytest.raises(ValidationError) as refused:
        services.console_transition(attempt=first, to_state=S.ANSWERING, actor=world.secretary)
    assert "may start at 09:40" in refused.value.messages[0] and "09:10" in refused.value.messages[0]
    first.refresh_from_db()
    assert first.state == S.PREPARING
    with time_machine.travel(NINE + dt.timedelta(minutes=40), tick=False):
        assert services.console_transition(attempt=first, to_state=S.ANSWERING, actor=world.secretary).state == S.ANSWERING


def test_the_delay_is_the_policys_number(world, tickets):
    Policy.objects.filter(institution=world.institution).update(oral_questioning_delay_minutes=45)
    first = _both_drawn(world)
    with time_machine.travel(NINE + dt.timedelta(minutes=50), tick=False), pytest.raises(ValidationError) as refused:
        services.console_transition(attempt=first, to_state=S.ANSWERING, actor=world.secretary)
    assert "09:55" in refused.value.messages[0]


def test_questioning_waits_for_a_student_still_to_draw_and_names_them(world, tickets):
    with time_machine.travel(NINE, tick=False):
        first = admitted(world)
        services.ticket_draw(attempt=first, actor=world.student.user)
    with time_machine.travel(NINE + dt.timedelta(hours=1), tick=False), pytest.raises(ValidationError) as refused:
        services.console_transition(attempt=first, to_state=S.ANSWERING, actor=world.secretary)
    assert world.other_student.full_name in refused.value.messages[0]


def test_the_console_button_shows_the_refusal(client, world, tickets):
    first = _both_drawn(world)
    client.force_login(world.secretary)
    with time_machine.travel(NINE + dt.timedelta(minutes=20), tick=False):
        response = client.post(
            reverse("exams:move", args=[slot_of(world, world.student).pk]), {"to": S.ANSWERING}, follow=True
        )
    assert "may start at 09:40" in response.content.decode()
    first.refresh_from_db()
    assert first.state == S.PREPARING


def test_an_oral_exam_cannot_skip_the_draw_and_the_delay_by_a_posted_move(client, world, tickets):
    with time_machine.travel(NINE, tick=False):
        attempt = admitted(world)
    assert attempt.kind == Attempt.Kind.ORAL
    client.force_login(world.secretary)
    with time_machine.travel(NINE + dt.timedelta(hours=2), tick=False):
        response = client.post(
            reverse("exams:move", args=[slot_of(world, world.student).pk]), {"to": S.ANSWERING}, follow=True
        )
    assert "starts with the student&#x27;s draw" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == S.ADMITTED

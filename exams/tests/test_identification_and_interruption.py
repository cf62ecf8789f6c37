"""The console never identifies a student by a bare button (R19: the desk's checklist inside the window), and the
student's "my connection dropped" request (R24) appears with the live part, without a reload."""

import pytest
from django.urls import reverse

from exams import services, states
from exams.models import Attempt
from exams.tests.conftest import admitted, move, slot_of
from proctoring import services as proctoring_services
from proctoring.models import RoomCheck
from proctoring.tests.conftest import ready_for_identification

pytestmark = pytest.mark.django_db
S = Attempt.State


def test_the_console_refuses_to_identify_without_the_checklist(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    response = client.post(reverse("exams:move", args=[slot.pk]), {"to": S.IDENTIFIED}, follow=True)
    assert "checklist" in response.content.decode()
    assert services.attempt_for_slot(slot=slot).state == S.SCHEDULED
    assert S.IDENTIFIED not in states.console_moves(S.SCHEDULED, Attempt.Kind.ORAL)


def test_the_consoles_identified_leads_to_the_desks_checklist(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    queue = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    assert 'data-move="identified"' not in queue
    assert f'href="{reverse("exams:desk", args=[slot.pk])}#identification"' in queue
    desk = client.get(reverse("exams:desk", args=[slot.pk])).content.decode()
    assert 'id="identification"' in desk and "form" in desk and reverse("proctoring:identify", args=[slot.pk]) in desk
    assert "identification-window" in desk  # R19: when the window opens


def test_the_checklist_identifies_and_the_console_then_admits(client, world):
    ready_for_identification(world)
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    client.post(
        reverse("proctoring:identify", args=[slot.pk]),
        {"face_matches": "on", "stated_name_and_group": "on", "showed_original": "on"},
    )
    assert services.attempt_for_slot(slot=slot).state == S.IDENTIFIED
    client.post(reverse("proctoring:room_check", args=[slot.pk]), {"alone": "on", "devices_ok": "on", "room_shown": "on"})
    assert RoomCheck.objects.get(slot=slot).passed
    queue = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    start = queue.index(f'data-slot="{slot.pk}"')
    row = queue[start : queue.index("</tr>", start)]
    assert 'data-move="admitted"' in row and "identify-link" not in row


def test_the_waiting_page_holds_the_interruption_request_hidden_until_the_live_part_says_live(client, world, tickets):
    ready_for_identification(world)
    slot = slot_of(world, world.student)
    proctoring_services.identification_record(
        slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
    )
    client.force_login(world.student.user)
    page = client.get(reverse("exams:student_exam", args=[slot.pk])).content.decode()
    status_at = page.index('id="exam-status"')
    form_at = page.index('id="interruption-request"')
    assert status_at < form_at and 'id="interruption-request" hidden' in page
    assert "data-live" not in page[status_at:form_at]
    status_url = reverse("exams:student_status", args=[slot.pk])
    assert "data-live" not in client.get(status_url).content.decode()
    move(services.attempt_for_slot(slot=slot), S.ADMITTED, actor=world.secretary)
    assert "data-live" in client.get(status_url).content.decode()  # the poll shows the request (portal.css)


def test_the_interruption_request_leaves_the_live_part_once_asked_and_the_page_once_finished(client, world, tickets):
    slot = slot_of(world, world.student)
    attempt = admitted(world)
    client.force_login(world.student.user)
    page = client.get(reverse("exams:student_exam", args=[slot.pk])).content.decode()
    assert 'id="interruption-request">' in page  # live at load: shown without waiting for the stylesheet
    client.post(reverse("proctoring:interruption_request", args=[slot.pk]), {"message": "Wi-Fi"})
    status = client.get(reverse("exams:student_status", args=[slot.pk])).content.decode()
    assert 'data-state="interrupted"' in status and "data-live" not in status
    attempt.refresh_from_db()
    move(attempt, S.STOPPED, S.POSTPONED, actor=world.secretary)
    assert 'id="interruption-request"' not in client.get(reverse("exams:student_exam", args=[slot.pk])).content.decode()

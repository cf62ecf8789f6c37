import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.tests.factories import StudentFactory
from commissions import services as commission_services
from exams import services
from exams.models import Attempt, Draw
from exams.selectors import questioning_starts_at
from exams.tests.conftest import admitted, image_bytes, make_tickets, move, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State


def test_student_sees_the_red_enter_until_admitted_then_green(client, world, tickets):
    slot = slot_of(world, world.student)
    client.force_login(world.student.user)
    page = client.get(reverse("exams:student_exam", args=[slot.pk])).content.decode()
    assert "btn-danger" in page and 'hx-trigger="every 2s"' in page
    admitted(world)
    fragment = client.get(reverse("exams:student_status", args=[slot.pk])).content.decode()
    assert "btn-success" in fragment and "ticket-card" in fragment


def test_student_draws_and_sees_ticket_number_and_questions(client, world, tickets):
    slot = slot_of(world, world.student)
    admitted(world)
    client.force_login(world.student.user)
    response = client.post(reverse("exams:student_draw", args=[slot.pk]), {"card": "3"}, follow=True)
    draw = Draw.objects.get(attempt__slot=slot)
    body = response.content.decode()
    assert f"Ticket No. {draw.ticket.number}" in body or f"{draw.ticket.number}" in body
    assert draw.ticket.items.first().question.text in body


def test_a_student_cannot_open_or_act_on_another_students_exam(client, world, tickets):
    other = slot_of(world, world.other_student)
    admitted(world, world.other_student)
    client.force_login(world.student.user)
    for name in ("exams:student_exam", "exams:student_status"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.post(reverse("exams:student_draw", args=[other.pk])).status_code == 404
    assert client.post(reverse("exams:student_upload", args=[other.pk])).status_code == 404
    assert client.post(reverse("proctoring:interruption_request", args=[other.pk])).status_code == 404
    assert not Draw.objects.exists()


@pytest.mark.parametrize("persona", ["chair", "member", "secretary", "head"])
def test_commission_and_head_see_the_console(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("exams:console", args=[world.sitting.pk]))
    assert response.status_code == 200
    assert world.student.full_name in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "student"])
def test_outsiders_and_students_get_404_on_the_console_and_desk(client, world, persona):
    user = world.outsider if persona == "outsider" else world.student.user
    client.force_login(user)
    slot = slot_of(world, world.student)
    assert client.get(reverse("exams:console", args=[world.sitting.pk])).status_code == 404
    assert client.get(reverse("exams:console_queue", args=[world.sitting.pk])).status_code == 404
    assert client.get(reverse("exams:desk", args=[slot.pk])).status_code == 404
    assert client.post(reverse("exams:move", args=[slot.pk]), {"to": S.IDENTIFIED}).status_code == 404


def test_only_the_secretary_moves_a_student(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.member)
    assert client.post(reverse("exams:move", args=[slot.pk]), {"to": S.ABSENT}).status_code == 403
    client.force_login(world.secretary)
    client.post(reverse("exams:move", args=[slot.pk]), {"to": S.ABSENT, "confirmed": "1"})
    assert Attempt.objects.get(slot=slot).state == S.ABSENT


def test_a_wrong_move_from_the_console_shows_the_reason(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    response = client.post(reverse("exams:move", args=[slot.pk]), {"to": S.FINISHED, "confirmed": "1"}, follow=True)
    assert "cannot go to" in response.content.decode()
    assert Attempt.objects.get(slot=slot).state == S.SCHEDULED


def test_the_console_shows_the_drawn_ticket(client, world, tickets):
    attempt = admitted(world)
    draw = services.ticket_draw(attempt=attempt, actor=world.student.user)
    client.force_login(world.secretary)
    body = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    assert f"No. {draw.ticket.number}" in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_console_queries_do_not_grow_with_students(client, world):
    make_tickets(world, tickets=10)
    for student in (world.student, world.other_student):
        services.ticket_draw(attempt=admitted(world, student), actor=student.user)
    client.force_login(world.secretary)
    url = reverse("exams:console_queue", args=[world.sitting.pk])
    small = _queries(client, url)
    extra = [StudentFactory(group=world.group) for _ in range(8)]
    commission_services.schedule_fill(actor=world.secretary, sitting=world.sitting, students=extra)
    for student in extra[:4]:
        services.ticket_draw(attempt=admitted(world, student), actor=student.user)
    assert _queries(client, url) == small


def test_answer_sheets_are_downloads_for_the_student_and_the_commission_only(client, world, tickets, written):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    sheet = services.answer_sheet_upload(
        attempt=attempt, upload=SimpleUploadedFile("a.jpg", image_bytes()), actor=world.student.user
    )
    url = reverse("exams:answer_sheet", args=[sheet.pk])
    client.force_login(world.student.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(world.other_student.user)
    assert client.get(url).status_code == 404
    client.force_login(world.member)
    assert client.get(url).status_code == 200


def test_student_uploads_sheets_through_the_page_and_bad_files_are_explained(client, world, tickets, written):
    slot = slot_of(world, world.student)
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    client.force_login(world.student.user)
    response = client.post(
        reverse("exams:student_upload", args=[slot.pk]),
        {"sheets": [SimpleUploadedFile("ok.jpg", image_bytes()), SimpleUploadedFile("evil.jpg", b"<html>x</html>")]},
        follow=True,
    )
    assert "not a photo" in response.content.decode()
    assert attempt.answer_sheets.count() == 1


def test_defense_desk_shows_speech_and_total_clocks(client, world):
    world.commission.form = "defense"
    world.commission.save()
    slot = slot_of(world, world.student)
    attempt = move(admitted(world), S.ANSWERING, actor=world.secretary)
    assert attempt.kind == Attempt.Kind.DEFENSE
    client.force_login(world.secretary)
    body = client.get(reverse("exams:desk", args=[slot.pk])).content.decode()
    assert "Speech, at most until" in body and "Whole defense until" in body


def test_questioning_starts_the_policy_delay_after_the_last_student_has_drawn(world, tickets):

    services.ticket_draw(attempt=admitted(world, world.student), actor=world.student.user)
    assert questioning_starts_at(sitting=world.sitting) is None  # the other student has not drawn yet
    last = services.ticket_draw(attempt=admitted(world, world.other_student), actor=world.other_student.user)
    assert questioning_starts_at(sitting=world.sitting) == last.drawn_at + dt.timedelta(minutes=30)


def test_an_absent_student_does_not_hold_up_the_questioning(world, tickets):
    services.ticket_draw(attempt=admitted(world, world.student), actor=world.student.user)
    absent = services.attempt_for_slot(slot=slot_of(world, world.other_student))
    services.attempt_transition(attempt=absent, to_state=S.ABSENT, actor=world.secretary)

    assert questioning_starts_at(sitting=world.sitting) is not None

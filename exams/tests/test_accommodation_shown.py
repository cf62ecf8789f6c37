"""The commission sees a student's accommodation (000 §7) on the console's row and on the desk, at no extra query
per student."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.tests.factories import StudentFactory
from commissions import services as commission_services
from exams import services
from exams.tests.conftest import admitted, make_tickets, slot_of
from exams.yearend import services as yearend

pytestmark = pytest.mark.django_db


def _row(page: str, slot) -> str:
    start = page.index(f'data-slot="{slot.pk}"')
    return page[start : page.index("</tr>", start)]


def test_the_console_row_shows_the_students_accommodation_and_only_theirs(client, world):
    yearend.accommodation_set(
        actor=world.head, student=world.student, extra_minutes=20, device_loan="Ноутбук", written_instead_of_oral=True
    )
    client.force_login(world.secretary)
    page = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    row = _row(page, slot_of(world, world.student))
    assert "accommodation" in row and "+20 min" in row and "device on loan: Ноутбук" in row
    assert "writes instead of answering orally" in row
    assert "accommodation" not in _row(page, slot_of(world, world.other_student))


def test_the_desk_shows_the_accommodation_with_its_note(client, world):
    yearend.accommodation_set(actor=world.head, student=world.student, extra_percent=25, note="Экран оқу бағдарламасы")
    client.force_login(world.member)
    desk = client.get(reverse("exams:desk", args=[slot_of(world, world.student).pk])).content.decode()
    assert "Accommodation (000 §7)" in desk and "+25% time" in desk and "Экран оқу бағдарламасы" in desk
    other = client.get(reverse("exams:desk", args=[slot_of(world, world.other_student).pk])).content.decode()
    assert "Accommodation (000 §7)" not in other


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_accommodations_and_preparation_clocks_add_no_console_queries(client, world):
    make_tickets(world, tickets=12)
    for student in (world.student, world.other_student):
        services.ticket_draw(attempt=admitted(world, student), actor=student.user)
    client.force_login(world.secretary)
    url = reverse("exams:console_queue", args=[world.sitting.pk])
    plain = _queries(client, url)
    extra = [StudentFactory(group=world.group) for _ in range(8)]
    commission_services.schedule_fill(actor=world.secretary, sitting=world.sitting, students=extra)
    for student in [world.student, *extra[:5]]:
        yearend.accommodation_set(actor=world.head, student=student, extra_minutes=10, device_loan="Ноутбук")
    for student in extra[:6]:
        services.ticket_draw(attempt=admitted(world, student), actor=student.user)
    assert _queries(client, url) == plain

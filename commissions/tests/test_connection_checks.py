"""R12: the day before the sitting the secretary contacts each student and checks the connection; the check is
recorded (done, by whom, when, result, new contact details) and the console names who was not reached."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from commissions import connection_checks
from commissions.models import ConnectionCheck, Slot

pytestmark = pytest.mark.django_db
DAY_BEFORE = dt.datetime(2020, 5, 11, 15, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def slots(world):
    return {s.student_id: s for s in Slot.objects.filter(sitting=world.sitting)}


def test_the_secretary_records_a_check_with_its_result_and_new_contacts(world, slots, time_machine):
    time_machine.move_to(DAY_BEFORE, tick=False)
    slot = slots[world.student.pk]
    check = connection_checks.connection_check_record(
        actor=world.secretary,
        slot=slot,
        outcome=ConnectionCheck.Outcome.WORKS,
        new_phone="+7 701 123 45 67",
        new_email="new@example.kz",
        note="Камера мен микрофон жұмыс істейді.",
    )
    assert (check.checked_by, check.checked_at, check.new_phone) == (world.secretary, DAY_BEFORE, "+7 701 123 45 67")
    slot.refresh_from_db()
    assert slot.status == Slot.Status.CONFIRMED  # the student's schedule reads "connection checked"
    event = AuditEvent.objects.get(verb="connection_check.record")
    assert event.after["outcome"] == "works" and event.after["new_email"] == "new@example.kz"


def test_only_the_commission_secretary_or_chair_records_a_check(world, slots):
    with pytest.raises(PermissionDenied):
        connection_checks.connection_check_record(
            actor=world.member, slot=slots[world.student.pk], outcome=ConnectionCheck.Outcome.WORKS
        )


def test_a_check_after_the_student_was_examined_is_refused(world, slots):
    Slot.objects.filter(pk=slots[world.student.pk].pk).update(status=Slot.Status.DONE)
    with pytest.raises(ValidationError):
        connection_checks.connection_check_record(
            actor=world.secretary, slot=slots[world.student.pk], outcome=ConnectionCheck.Outcome.WORKS
        )


def test_the_console_names_who_was_not_reached_and_who_was_not_checked(client, world, slots, time_machine):
    time_machine.move_to(DAY_BEFORE, tick=False)
    connection_checks.connection_check_record(
        actor=world.secretary,
        slot=slots[world.student.pk],
        outcome=ConnectionCheck.Outcome.NOT_REACHED,
        note="Телефон өшірулі",
    )
    client.force_login(world.secretary)
    page = client.get(reverse("exams:console", args=[world.sitting.pk])).content.decode()
    block = page.split('id="connection-not-reached"')[1].split("</section>")[0]
    assert world.student.last_name_kk in block and world.other_student.last_name_kk in block
    assert "Телефон өшірулі" in block
    connection_checks.connection_check_record(
        actor=world.secretary, slot=slots[world.student.pk], outcome=ConnectionCheck.Outcome.WORKS
    )
    connection_checks.connection_check_record(
        actor=world.secretary, slot=slots[world.other_student.pk], outcome=ConnectionCheck.Outcome.WORKS
    )
    page = client.get(reverse("exams:console", args=[world.sitting.pk])).content.decode()
    assert 'id="connection-not-reached"' not in page


def test_the_checks_page_records_a_check_and_shows_who_when_and_the_new_contacts(client, world, slots, time_machine):
    time_machine.move_to(DAY_BEFORE, tick=False)
    client.force_login(world.secretary)
    url = reverse("commissions:connection_checks", args=[world.sitting.pk])
    slot = slots[world.student.pk]
    response = client.post(
        reverse("commissions:connection_check_record", args=[slot.pk]),
        {"outcome": "problem", "new_phone": "+7 702 000 11 22", "note": "Интернет әлсіз, ұялы телефоннан қосылады"},
    )
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "+7 702 000 11 22" in page and "Интернет әлсіз" in page and world.secretary.last_name in page
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.member)
    assert client.get(url).status_code == 403

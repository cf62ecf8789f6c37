import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import Department, Group, Programme
from attestation.institutions.policies import policy_for
from attestation.tests.factories import StudentFactory
from exams import clocks, services
from exams.models import AnswerSheet, Attempt
from exams.tests.conftest import admitted, image_bytes, make_tickets, move
from exams.yearend import services as yearend
from exams.yearend.models import Accommodation

pytestmark = pytest.mark.django_db
S = Attempt.State


def sheet(name: str):
    return SimpleUploadedFile(name, image_bytes())


@pytest.fixture
def tickets(world):
    return make_tickets(world)


@pytest.fixture
def written(world):
    settings_ = services.exam_settings_for(world.commission)
    settings_.exam_format = "written"
    settings_.save()
    return settings_


def _writing(world):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    return attempt


def test_extra_minutes_lengthen_the_written_exam_and_its_upload_deadline(world, tickets, written, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    yearend.accommodation_set(actor=world.head, student=world.student, extra_minutes=30)
    attempt = _writing(world)
    normal = policy_for(world.commission).written_exam_minutes
    assert attempt.deadline_at - attempt.started_at == dt.timedelta(minutes=normal + 30)
    grace = services.exam_settings_for(world.commission).upload_grace_minutes
    normal_close = attempt.started_at + dt.timedelta(minutes=normal + grace)
    with time_machine.travel(normal_close + dt.timedelta(minutes=1)):  # after the normal deadline, before the extended
        services.answer_sheet_upload(attempt=attempt, upload=sheet("a.jpg"), actor=world.student.user)
    with (
        time_machine.travel(services.upload_closes_at(attempt) + dt.timedelta(seconds=1)),
        pytest.raises(ValidationError, match="upload is refused"),
    ):
        services.answer_sheet_upload(attempt=attempt, upload=sheet("b.jpg"), actor=world.student.user)
    assert AnswerSheet.objects.filter(attempt=attempt).count() == 1


def test_extra_percent_is_of_the_timed_part_rounded_up(world, tickets, written):
    yearend.accommodation_set(actor=world.head, student=world.student, extra_percent=25)
    attempt = _writing(world)
    normal = policy_for(world.commission).written_exam_minutes
    assert attempt.deadline_at - attempt.started_at == dt.timedelta(minutes=normal + -(-normal * 25 // 100))


def test_a_student_without_an_accommodation_keeps_the_policy_time(world, tickets, written):
    yearend.accommodation_set(actor=world.head, student=world.other_student, extra_minutes=30)
    attempt = _writing(world)
    assert attempt.deadline_at - attempt.started_at == dt.timedelta(
        minutes=policy_for(world.commission).written_exam_minutes
    )


def test_written_instead_of_oral_gives_that_student_a_written_attempt(world, tickets):
    yearend.accommodation_set(actor=world.head, student=world.student, written_instead_of_oral=True)
    mine = admitted(world)
    other = admitted(world, world.other_student)
    assert (mine.kind, other.kind) == (Attempt.Kind.WRITTEN, Attempt.Kind.ORAL)
    services.ticket_draw(attempt=mine, actor=world.student.user)
    mine.refresh_from_db()
    assert mine.state == S.WRITING and mine.deadline_at is not None


def test_an_attempt_opened_before_the_accommodation_takes_the_written_form(world, tickets):
    attempt = admitted(world)
    assert attempt.kind == Attempt.Kind.ORAL
    accommodation = yearend.accommodation_set(actor=world.head, student=world.student, written_instead_of_oral=True)
    attempt.refresh_from_db()
    assert attempt.kind == Attempt.Kind.WRITTEN
    yearend.accommodation_remove(actor=world.head, accommodation=accommodation)
    attempt.refresh_from_db()
    assert attempt.kind == Attempt.Kind.ORAL


def test_a_started_attempt_keeps_its_form(world, tickets):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    yearend.accommodation_set(actor=world.head, student=world.student, written_instead_of_oral=True)
    attempt.refresh_from_db()
    assert attempt.kind == Attempt.Kind.ORAL


def test_oral_preparation_clock_is_lengthened(world, tickets):
    yearend.accommodation_set(actor=world.head, student=world.student, extra_minutes=15)
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    policy = policy_for(world.commission)
    clock = clocks.preparation_clock(attempt, policy, attempt.started_at)
    assert clock.ends_at - attempt.started_at == dt.timedelta(minutes=policy.oral_questioning_delay_minutes + 15)


def test_defense_clocks_are_lengthened(world):
    world.commission.form = "defense"
    world.commission.save()
    yearend.accommodation_set(actor=world.head, student=world.student, extra_minutes=5)
    attempt = services.attempt_for_slot(slot=world.student.slots.get())
    attempt = move(attempt, S.IDENTIFIED, S.ADMITTED, S.ANSWERING, actor=world.secretary)
    policy = policy_for(world.commission)
    speech, total = clocks.defense_clocks(attempt, policy, attempt.answering_at)
    assert speech.ends_at - attempt.answering_at == dt.timedelta(minutes=policy.speech_max_minutes + 5)
    assert total.ends_at - attempt.answering_at == dt.timedelta(minutes=policy.defense_total_minutes + 5)


def test_accommodation_is_audited_and_changed_in_place(world):
    yearend.accommodation_set(actor=world.head, student=world.student, extra_minutes=10, device_loan="Ноутбук")
    yearend.accommodation_set(actor=world.head, student=world.student, extra_minutes=20)
    assert Accommodation.objects.get(student=world.student).extra_minutes == 20
    events = AuditEvent.objects.filter(verb="accommodation.set")
    assert events.count() == 2 and events.order_by("at").last().before["extra_minutes"] == 10


def test_head_records_an_accommodation_on_the_department_page(client, world):
    client.force_login(world.head)
    url = reverse("yearend:accommodation_set", args=[world.department.pk])
    response = client.post(
        url,
        {"student": world.student.pk, "extra_minutes": 20, "extra_percent": 0, "written_instead_of_oral": "on", "next": "/"},
    )
    assert response.status_code == 302
    accommodation = Accommodation.objects.get(student=world.student)
    assert accommodation.written_instead_of_oral and accommodation.recorded_by == world.head


def test_outsiders_and_students_cannot_record_accommodations(client, world):
    url = reverse("yearend:accommodation_set", args=[world.department.pk])
    for user in (world.outsider, world.student.user, world.secretary):
        client.force_login(user)
        assert client.post(url, {"student": world.student.pk, "extra_minutes": 20}).status_code == 404
    assert not Accommodation.objects.exists()


def test_a_student_of_another_department_cannot_be_chosen(client, world):
    department = Department.objects.create(institution=world.institution, name_kk="Басқа", name_ru="Другая")
    programme = Programme.objects.create(department=department, code="6B01", level="bachelor", name_kk="Б", name_ru="Б")
    stranger = StudentFactory(group=Group.objects.create(programme=programme, name="Б-1", study_language="kk"))
    client.force_login(world.head)
    client.post(
        reverse("yearend:accommodation_set", args=[world.department.pk]),
        {"student": stranger.pk, "extra_minutes": 20, "extra_percent": 0},
    )
    assert not Accommodation.objects.exists()

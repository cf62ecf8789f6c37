"""Open-book take-home exam (000 §13, §36): the drawn ticket is the assignment, due the policy's hours later; the
student uploads the work through the answer-sheet store; the server refuses it after the deadline."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams import services
from exams.exam_settings import exam_settings_update
from exams.models import AnswerSheet, Attempt
from exams.tests.conftest import admitted, image_bytes

pytestmark = pytest.mark.django_db
S = Attempt.State


@pytest.fixture
def take_home(world, tickets):
    return exam_settings_update(commission=world.commission, actor=world.head, exam_format="take_home")


def drawn(world) -> Attempt:
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    return Attempt.objects.get(pk=attempt.pk)


def photo(name="work.jpg"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def test_the_drawn_assignment_is_due_the_policys_hours_later(world, take_home):
    attempt = drawn(world)
    assert (attempt.kind, attempt.state) == (Attempt.Kind.TAKE_HOME, S.WRITING)
    assert attempt.deadline_at - attempt.started_at == dt.timedelta(hours=24)
    assert "preparing" not in [s for s, _label in services.states.labelled_moves(attempt.state, attempt.kind)]


def test_the_work_is_uploaded_before_the_deadline_and_refused_after_it(world, take_home):
    attempt = drawn(world)
    with time_machine.travel(attempt.deadline_at - dt.timedelta(hours=1)):
        sheet = services.answer_sheet_upload(attempt=attempt, upload=photo(), actor=world.student.user)
    assert sheet.number == 1
    closes = services.upload_closes_at(attempt)
    with time_machine.travel(closes + dt.timedelta(minutes=1)), pytest.raises(ValidationError, match="refused"):
        services.answer_sheet_upload(attempt=attempt, upload=photo("late.jpg"), actor=world.student.user)
    assert AnswerSheet.objects.filter(attempt=attempt).count() == 1


def test_the_student_page_shows_the_due_moment_and_the_upload(client, world, take_home):
    attempt = drawn(world)
    client.force_login(world.student.user)
    page = client.get(reverse("exams:student_exam", args=[attempt.slot_id])).content.decode()
    assert 'id="take-home-due"' in page and 'name="sheets"' in page


def test_the_documents_and_the_schedule_name_the_take_home_exam(client, world, take_home):
    client.force_login(world.student.user)
    assert "open-book take-home exam" in client.get(reverse("commissions:my_schedule")).content.decode()

"""Open-book take-home exam (000 §13, §36): the drawn ticket is the assignment, due the policy's hours later; the
student uploads the work through the answer-sheet store; the server refuses it after the deadline."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import AuditEvent, Deadline
from attestation.institutions.models import Policy
from commissions.models import Slot
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


# --- the end of the take-home exam's time: a deadline row the beat sweep handles once ----------------------------


def closes(attempt: Attempt) -> dt.datetime:
    return services.upload_closes_at(attempt)


def test_at_the_end_of_its_time_the_work_uploaded_is_submitted_by_the_sweep(world, take_home):
    attempt = drawn(world)
    with time_machine.travel(attempt.deadline_at - dt.timedelta(hours=2)):
        services.answer_sheet_upload(attempt=attempt, upload=photo(), actor=world.student.user)
        services.answer_sheet_upload(attempt=attempt, upload=photo("page2.jpg"), actor=world.student.user)
    deadlines_sweep(now=closes(attempt) - dt.timedelta(seconds=1))  # not before uploads close
    assert Attempt.objects.get(pk=attempt.pk).state == S.WRITING
    deadlines_sweep(now=closes(attempt))
    attempt.refresh_from_db()
    assert (attempt.state, attempt.work_submitted, attempt.finished_at) == (S.FINISHED, True, closes(attempt))
    assert attempt.slot.status == Slot.Status.DONE  # grading opens
    transition = attempt.transitions.get(to_state=S.FINISHED)
    assert transition.actor is None and "2 sheet(s)" in transition.note
    event = AuditEvent.objects.get(verb="take_home.due")
    assert (event.actor, event.after["sheets"], event.after["submitted"]) == (None, 2, True)


def test_nothing_uploaded_by_the_end_of_its_time_is_marked_not_submitted(world, take_home):
    attempt = drawn(world)
    deadlines_sweep(now=closes(attempt))
    attempt.refresh_from_db()
    assert (attempt.state, attempt.work_submitted) == (S.FINISHED, False)
    assert "not submitted" in attempt.transitions.get(to_state=S.FINISHED).note
    assert AuditEvent.objects.get(verb="take_home.due").after["submitted"] is False


def test_a_sweep_late_after_downtime_finishes_it_once_at_the_moment_uploads_closed(world, take_home):
    attempt = drawn(world)
    with time_machine.travel(attempt.deadline_at - dt.timedelta(minutes=30)):
        services.answer_sheet_upload(attempt=attempt, upload=photo(), actor=world.student.user)
    three_days_late = closes(attempt) + dt.timedelta(days=3)
    with time_machine.travel(three_days_late):
        deadlines_sweep()
        assert deadlines_sweep() == 0
    attempt.refresh_from_db()
    assert attempt.finished_at == closes(attempt)
    assert attempt.transitions.filter(to_state=S.FINISHED).count() == 1
    assert AuditEvent.objects.filter(verb="take_home.due").count() == 1
    deadline = Deadline.objects.get(kind=services.TAKE_HOME_DUE, object_id=attempt.pk)
    assert (deadline.state, deadline.due_at) == (Deadline.State.DONE, closes(attempt))


def test_an_attempt_the_secretary_finished_first_is_left_be(world, take_home):
    attempt = drawn(world)
    services.console_transition(attempt=attempt, to_state=S.FINISHED, actor=world.secretary)
    deadlines_sweep(now=closes(attempt))
    attempt.refresh_from_db()
    assert attempt.transitions.filter(to_state=S.FINISHED).get().actor == world.secretary
    assert not AuditEvent.objects.filter(verb="take_home.due").exists()
    assert Deadline.objects.get(kind=services.TAKE_HOME_DUE, object_id=attempt.pk).state == Deadline.State.SKIPPED


def test_the_end_of_time_follows_the_policys_hours_and_the_upload_grace(world, take_home):
    Policy.objects.filter(institution=world.institution).update(take_home_hours=48)
    attempt = drawn(world)
    deadline = Deadline.objects.get(kind=services.TAKE_HOME_DUE, object_id=attempt.pk)
    assert deadline.due_at == attempt.started_at + dt.timedelta(hours=48) + dt.timedelta(minutes=5)  # grace


def test_the_desk_shows_work_not_submitted(client, world, take_home):
    attempt = drawn(world)
    deadlines_sweep(now=closes(attempt))
    client.force_login(world.secretary)
    page = client.get(reverse("exams:desk", args=[attempt.slot_id])).content.decode()
    assert 'id="work-not-submitted"' in page


def test_a_grace_changed_during_the_exam_moves_the_end_with_the_upload_gate(world, take_home):
    attempt = drawn(world)
    exam_settings_update(commission=world.commission, actor=world.head, upload_grace_minutes=15)
    assert closes(attempt) == attempt.deadline_at + dt.timedelta(minutes=15)
    with time_machine.travel(attempt.deadline_at + dt.timedelta(minutes=10)):
        services.answer_sheet_upload(attempt=attempt, upload=photo(), actor=world.student.user)  # in the new grace
        deadlines_sweep()
    assert Attempt.objects.get(pk=attempt.pk).state == S.WRITING  # not finished at the old grace's end
    deadline = Deadline.objects.get(kind=services.TAKE_HOME_DUE, object_id=attempt.pk)
    assert deadline.due_at == closes(attempt)
    exam_settings_update(commission=world.commission, actor=world.head, upload_grace_minutes=0)
    deadlines_sweep(now=closes(attempt))
    attempt.refresh_from_db()
    assert (attempt.state, attempt.finished_at, attempt.work_submitted) == (S.FINISHED, attempt.deadline_at, True)

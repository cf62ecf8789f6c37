import datetime as dt

import pytest
from django.core import mail

from attestation.core import deadlines as deadline_module
from attestation.core.deadlines import deadline_set, deadlines_sweep
from attestation.core.models import Deadline, Notification
from commissions.models import Slot

pytestmark = pytest.mark.django_db
DAY_BEFORE = dt.datetime(2020, 5, 11, 4, 0, tzinfo=dt.UTC)  # 10:00 in Almaty, 11 May 2020


def test_reminder_reaches_the_student_page_and_mail_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=DAY_BEFORE) == 2
    notes = Notification.objects.filter(user=world.student.user)
    assert notes.count() == 1
    assert "https://zoom.us/j/1" in notes.get().body
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=DAY_BEFORE + dt.timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 2


def test_nothing_is_sent_before_it_is_due(world):
    assert deadlines_sweep(now=DAY_BEFORE - dt.timedelta(days=1)) == 0
    assert not Notification.objects.exists()


def test_a_worker_that_was_down_skips_reminders_for_past_attestations(world):
    after = dt.datetime(2020, 5, 13, tzinfo=dt.UTC)
    assert deadlines_sweep(now=after) == 2
    assert not Notification.objects.exists()
    reminders = Deadline.objects.filter(kind="slot_reminder")  # the policy's "I" cutoff (30 June) is not due yet
    assert set(reminders.values_list("state", flat=True)) == {Deadline.State.SKIPPED}


def test_a_postponed_slot_gets_no_reminder(world):
    Slot.objects.filter(student=world.student).update(status=Slot.Status.POSTPONED)
    deadlines_sweep(now=DAY_BEFORE)
    assert not Notification.objects.filter(user=world.student.user).exists()
    assert Notification.objects.filter(user=world.other_student.user).exists()


def test_reminder_is_written_in_the_students_language(world):
    world.student.user.preferred_language = "ru"
    world.student.user.save()
    deadlines_sweep(now=DAY_BEFORE)
    assert "Ссылка" in Notification.objects.get(user=world.student.user).body


def _noted(calls, fail_on=()):
    def handler(deadline):
        if deadline.object_id in fail_on:
            Notification.objects.create(user_id=deadline.object_id, kind="half", subject="-", body="-")
            raise RuntimeError("the handler failed half-way")
        calls.append(deadline.object_id)

    return handler


def test_one_sweep_handles_every_due_deadline_batch_after_batch(world, monkeypatch):
    calls = []
    monkeypatch.setattr(deadline_module, "SWEEP_BATCH", 2)
    for n in range(5):
        deadline_set(obj=world.sitting, kind=f"test.batch.{n}", due_at=DAY_BEFORE - dt.timedelta(days=30 - n))
        monkeypatch.setitem(deadline_module._HANDLERS, f"test.batch.{n}", _noted(calls))
    deadline_set(obj=world.sitting, kind="test.batch.later", due_at=DAY_BEFORE + dt.timedelta(days=30))
    handled = deadlines_sweep(now=DAY_BEFORE - dt.timedelta(days=20))
    assert (handled, len(calls)) == (5, 5)
    assert Deadline.objects.get(kind="test.batch.later").state == Deadline.State.PENDING


def test_a_failing_handler_in_a_batch_keeps_its_deadline_pending_and_undoes_its_work_only(world, monkeypatch):
    calls = []
    user_id = world.student.user.pk
    handler = _noted(calls, fail_on={user_id})
    monkeypatch.setitem(deadline_module._HANDLERS, "test.mixed", handler)
    failing = deadline_set(obj=world.student.user, kind="test.mixed", due_at=DAY_BEFORE - dt.timedelta(days=30))
    passing = deadline_set(obj=world.other_student.user, kind="test.mixed", due_at=DAY_BEFORE - dt.timedelta(days=30))
    assert deadlines_sweep(now=DAY_BEFORE - dt.timedelta(days=20)) == 1
    failing.refresh_from_db()
    passing.refresh_from_db()
    assert (failing.state, failing.handled_at) == (Deadline.State.PENDING, None)
    assert passing.state == Deadline.State.DONE
    assert calls == [world.other_student.user.pk]
    assert not Notification.objects.filter(kind="half").exists()  # the failed handler's half-done work is undone

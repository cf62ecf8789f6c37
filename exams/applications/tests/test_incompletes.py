import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import AuditEvent, Deadline, Notification
from attestation.institutions.models import Policy
from commissions.models import Result
from exams.applications import incompletes
from exams.applications.models import IncompleteDue
from exams.applications.tests.conftest import ALMATY, DURING, incomplete

pytestmark = pytest.mark.django_db
CUTOFF_END = dt.datetime(2020, 7, 1, 0, 0, tzinfo=ALMATY)


def _due(world, slot, due_date=dt.date(2020, 6, 30)):
    return incompletes.incomplete_due_set(actor=world.chair, result=incomplete(slot), due_date=due_date)


def test_due_date_after_the_cutoff_is_refused_with_the_cutoff_named(world, slot):
    with pytest.raises(ValidationError) as exc:
        _due(world, slot, dt.date(2020, 7, 1))
    assert "30.06.2020" in str(exc.value)
    assert not IncompleteDue.objects.exists()


def test_the_database_refuses_a_due_date_after_the_cutoff(world, slot):
    result = incomplete(slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncompleteDue.objects.create(result=result, due_date=dt.date(2020, 7, 2), cutoff_date=dt.date(2020, 6, 30))


def test_cutoff_converts_an_open_i_to_f_once_when_the_sweep_runs_twice(world, slot):
    due = _due(world, slot)
    deadlines_sweep(now=CUTOFF_END - dt.timedelta(seconds=1))  # the warning is due, the due date not yet
    assert Result.objects.get(slot=slot).letter == "I"
    assert Deadline.objects.get(kind=incompletes.INCOMPLETE_DUE).state == Deadline.State.PENDING
    deadlines_sweep(now=CUTOFF_END)
    deadlines_sweep(now=CUTOFF_END)
    due.refresh_from_db()
    result = Result.objects.get(slot=slot)
    assert (due.state, result.letter, result.traditional) == (IncompleteDue.State.CONVERTED, "F", "unsatisfactory")
    assert AuditEvent.objects.filter(verb="result.cutoff_to_f").count() == 1
    assert Notification.objects.filter(kind=incompletes.INCOMPLETE_DUE).count() == 2  # student and head, once


def test_a_late_sweep_after_downtime_acts_once(world, slot):
    due = _due(world, slot)
    late = dt.datetime(2020, 7, 14, 9, 0, tzinfo=ALMATY)
    deadlines_sweep(now=late)
    deadlines_sweep(now=late + dt.timedelta(hours=1))
    due.refresh_from_db()
    assert due.state == IncompleteDue.State.CONVERTED and due.handled_at == late
    assert AuditEvent.objects.filter(verb="result.cutoff_to_f").count() == 1
    assert Deadline.objects.filter(state=Deadline.State.PENDING).count() == 0


def test_flag_policy_flags_for_the_department_and_keeps_the_i(world, slot, policy):
    Policy.objects.filter(pk=policy.pk).update(i_grade_cutoff_action=Policy.CutoffAction.FLAG)
    due = _due(world, slot)
    deadlines_sweep(now=CUTOFF_END)
    deadlines_sweep(now=CUTOFF_END)
    due.refresh_from_db()
    assert due.state == IncompleteDue.State.FLAGGED
    assert Result.objects.get(slot=slot).letter == "I"
    assert Notification.objects.filter(user=world.head, kind=incompletes.INCOMPLETE_DUE).count() == 1


def test_an_i_graded_before_its_due_date_is_left_alone(world, slot):
    due = _due(world, slot)
    Result.objects.filter(slot=slot).update(letter="B", points=82, traditional="good")
    deadlines_sweep(now=CUTOFF_END)
    due.refresh_from_db()
    assert due.state == IncompleteDue.State.GRADED
    assert Result.objects.get(slot=slot).letter == "B"
    assert Deadline.objects.get(kind=incompletes.INCOMPLETE_DUE).state == Deadline.State.SKIPPED


def test_an_i_without_its_own_due_date_is_caught_at_the_cutoff(world, slot, policy):
    other_slot = world.other_student.slots.get()
    _due(world, slot, dt.date(2020, 6, 1))  # sets the policy-wide cutoff deadline too
    stray = incomplete(other_slot)  # the chair's "I" that nobody gave a due date
    deadlines_sweep(now=CUTOFF_END)
    deadlines_sweep(now=CUTOFF_END + dt.timedelta(days=3))
    stray.refresh_from_db()
    assert stray.letter == "F"
    assert stray.incomplete_due.due_date == policy.cutoff_date
    assert AuditEvent.objects.filter(verb="result.cutoff_to_f").count() == 2


def test_warning_three_working_days_ahead_skips_nauryz(world, slot, policy):
    Policy.objects.filter(pk=policy.pk).update(cutoff_date=dt.date(2020, 3, 31))
    due = _due(world, slot, dt.date(2020, 3, 26))  # Thu after Nauryz (21-25 March 2020 are days off)
    warn = Deadline.objects.get(kind=incompletes.INCOMPLETE_WARN, object_id=due.pk)
    assert warn.due_at == dt.datetime(2020, 3, 18, 9, 0, tzinfo=ALMATY)  # Wed 18, Thu 19, Fri 20 March


def test_warning_skips_the_may_holidays(world, slot):
    due = _due(world, slot, dt.date(2020, 5, 12))
    warn = Deadline.objects.get(kind=incompletes.INCOMPLETE_WARN, object_id=due.pk)
    # 11 May working; 7 (Defender's day), 8 (transferred day off), 9-10 weekend are not; 6 May counts.
    assert warn.due_at.astimezone(ALMATY).date() == incompletes.working_days_before(dt.date(2020, 5, 12), 3)
    assert warn.due_at.astimezone(ALMATY).date() == dt.date(2020, 5, 5)


def test_working_days_before_new_year_2020():
    assert incompletes.working_days_before(dt.date(2020, 1, 6), 1) == dt.date(2020, 1, 5)  # the working Sunday
    assert incompletes.working_days_before(dt.date(2020, 1, 5), 1) == dt.date(2019, 12, 31)


def test_warning_reaches_the_student_and_the_head_by_page_and_mail(world, slot, django_capture_on_commit_callbacks):
    _due(world, slot)
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=dt.datetime(2020, 6, 25, 9, 0, tzinfo=ALMATY))
    users = set(Notification.objects.filter(kind=incompletes.INCOMPLETE_WARN).values_list("user__username", flat=True))
    assert users == {world.head.username, world.student.user.username}
    assert len(mail.outbox) == 2

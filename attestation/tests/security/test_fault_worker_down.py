"""The worker down across deadlines (extends attestation/core/tests/test_deadlines.py): everything that fell due
while no worker ran is handled exactly once when the sweep finally runs, even if two sweeps start at the same
moment and a third follows; a handler that fails stays pending and succeeds once on a later sweep."""

import datetime as dt
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from appeals import services as appeal_services
from appeals.models import AppealMember
from appeals.services import HEARING_MISSED, HEARING_WARN, WINDOW_CLOSE
from attestation.core import deadlines as deadline_module
from attestation.core.deadlines import deadline_set, deadlines_sweep
from attestation.core.models import Deadline, Notification
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.models import Result, Slot

ALMATY = ZoneInfo("Asia/Almaty")
ANNOUNCED = dt.datetime(2020, 5, 12, 15, 0, tzinfo=ALMATY)  # Tuesday, the sitting's day
MONTH_LATER = dt.datetime(2020, 6, 15, 9, 0, tzinfo=ALMATY)  # the worker comes back


def _announced_with_one_appeal(world):
    """Both students announced (each result gets its appeal window deadline); the first appeals at once."""
    people = [UserFactory(username=f"appeal{i}") for i in range(3)]
    appeal_services.appeal_commission_create(
        actor=world.head,
        institution=world.institution,
        academic_year=2019,
        name_kk="Апелляциялық комиссия",
        name_ru="Апелляционная комиссия",
        order_number="45-А",
        order_date=dt.date(2020, 4, 20),
        commissions=[world.commission],
        members=[(people[0], AppealMember.Role.CHAIR), *[(p, AppealMember.Role.MEMBER) for p in people[1:]]],
    )
    InstitutionAdmin.objects.create(institution=world.institution, user=UserFactory(username="inst-admin"))
    with time_machine.travel(ANNOUNCED, tick=False):
        attendance_record(
            actor=world.secretary,
            sitting=world.sitting,
            present_ids=world.commission.memberships.values_list("pk", flat=True),
        )
        for slot in Slot.objects.filter(sitting=world.sitting):
            grading.grade_submit(actor=world.chair, slot=slot, points="60")
            grading.grade_submit(actor=world.member, slot=slot, points="64")
        grading.results_announce(actor=world.chair, sitting=world.sitting)
        result = Result.objects.get(slot__student=world.student)
        appeal_services.appeal_file(
            actor=world.student.user,
            result=result,
            reasons="Екінші сұрақ бағаланбады",
            now=ANNOUNCED + dt.timedelta(hours=1),
        )
    return people


def _sweep_in_thread(now, barrier, out, index):
    try:
        barrier.wait(timeout=10)
        out[index] = deadlines_sweep(now=now)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.requires_postgres(
    reason="needs PostgreSQL: two sweeps race on row locks "
    "(SQLite serialises whole-database writes, so there is no race to test)",
)
def test_deadlines_missed_while_the_worker_was_down_are_handled_once_by_racing_sweeps(world):
    people = _announced_with_one_appeal(world)
    mail.outbox.clear()
    notes_before = Counter(Notification.objects.values_list("kind", flat=True))
    due = Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=MONTH_LATER).count()
    assert due >= 5  # two reminders, two appeal windows, the hearing's warning and its escalation

    out, barrier = [0, 0], threading.Barrier(2)
    threads = [threading.Thread(target=_sweep_in_thread, args=(MONTH_LATER, barrier, out, i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(out) == due  # each deadline claimed by exactly one of the two sweeps
    assert deadlines_sweep(now=MONTH_LATER + dt.timedelta(minutes=1)) == 0

    assert not Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=MONTH_LATER).exists()
    new = Counter(Notification.objects.values_list("kind", flat=True)) - notes_before
    assert new == {
        WINDOW_CLOSE: 1,  # the student who did not appeal is told once that the result is final
        HEARING_WARN: len(people),  # each appeal member warned once
        HEARING_MISSED: 1,
    }  # the institution's administrator, once
    assert len(mail.outbox) == sum(new.values())


@pytest.mark.django_db
def test_a_failing_handler_stays_pending_and_is_done_once_when_it_succeeds(world, monkeypatch):
    calls = []
    attempts = iter([RuntimeError("broker unreachable"), None])

    def flaky(deadline):
        outcome = next(attempts)
        if outcome is not None:
            raise outcome
        calls.append(deadline.pk)

    monkeypatch.setitem(deadline_module._HANDLERS, "test.flaky", flaky)
    deadline = deadline_set(obj=world.sitting, kind="test.flaky", due_at=MONTH_LATER - dt.timedelta(days=20))
    assert deadlines_sweep(now=MONTH_LATER) == 2  # the two past reminders; the flaky one failed
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.PENDING
    assert deadlines_sweep(now=MONTH_LATER + dt.timedelta(minutes=1)) == 1
    assert deadlines_sweep(now=MONTH_LATER + dt.timedelta(minutes=2)) == 0
    deadline.refresh_from_db()
    assert (deadline.state, calls) == (Deadline.State.DONE, [deadline.pk])

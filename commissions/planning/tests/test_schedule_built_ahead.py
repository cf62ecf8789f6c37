"""A published timetable builds ahead the schedule of each student it places or moves, as that student
(commissions/pages_ahead.py, attestation/core/pages_ahead.py): every student told opens "My schedule" in the
minutes after, and their first visit is served from the page the worker built, without rendering it; never another
student's page; a later move shows the new time at once, and the schedule is built again with it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from attestation.tests.factories import StudentFactory
from attestation.tests.worker import on_the_worker, wait_for
from commissions.models import Slot
from commissions.pages_ahead import BUILD_TASK
from commissions.planning import services
from commissions.planning.models import PlanDraft
from commissions.tests.built_pages import SERVED_BUILT, built, first_visit, logged_in

pytestmark = pytest.mark.django_db
SCHEDULE = reverse("commissions:my_schedule")
MOVED_TO = dt.date(2020, 5, 13)
BEFORE = dt.datetime(2020, 5, 4, 9, tzinfo=dt.UTC)  # Monday 4 May 2020, before the world's attestation period


@pytest.fixture(autouse=True)
def before_the_period():
    with time_machine.travel(BEFORE):  # ticking: the worker keeps its own clock running
        yield


def publish(world):
    draft = services.plan_propose(actor=world.secretary, commission=world.commission)
    return services.plan_publish(actor=world.secretary, draft=draft)


def slot_link(user) -> str:
    return reverse("commissions:slot", args=[Slot.objects.get(student__user=user).pk])


@on_the_worker
def test_the_first_visit_after_the_publication_is_served_from_the_schedule_built_by_the_worker(world, celery_worker_real):
    newcomer = StudentFactory(group=world.group).user
    browser = logged_in(newcomer)
    publish(world)
    assert wait_for(lambda: built(newcomer, SCHEDULE), 30)
    page, queries = first_visit(browser, SCHEDULE)
    assert queries == SERVED_BUILT and slot_link(newcomer) in page
    assert first_visit(browser, SCHEDULE)[1] == 0  # the next visit is served before the person is read


@on_the_worker
def test_a_student_never_gets_another_students_schedule_built_ahead(world, celery_worker_real):
    mine, theirs = StudentFactory(group=world.group).user, StudentFactory(group=world.group).user
    browsers = {user.pk: logged_in(user) for user in (mine, theirs)}
    publish(world)
    assert wait_for(lambda: built(mine, SCHEDULE) and built(theirs, SCHEDULE), 30)
    for user, other in ((mine, theirs), (theirs, mine)):
        page, queries = first_visit(browsers[user.pk], SCHEDULE)
        assert queries == SERVED_BUILT
        assert slot_link(user) in page and slot_link(other) not in page


@on_the_worker
def test_a_move_right_after_the_publication_shows_the_new_time(world, celery_worker_real):
    mover = StudentFactory(group=world.group)
    browser = logged_in(mover.user)
    publish(world)
    before = Slot.objects.get(student=mover).starts_at
    draft = PlanDraft.objects.get(commission=world.commission)
    draft = services.plan_move(actor=world.secretary, draft=draft, student_id=mover.pk, date=MOVED_TO, start=600)
    services.plan_publish(actor=world.secretary, draft=draft)  # while the worker may still build the first one
    moved = Slot.objects.get(student=mover).starts_at
    assert moved.date() == MOVED_TO and moved != before
    page = first_visit(browser, SCHEDULE)[0]
    assert "10:00" in page and slot_link(mover.user) in page
    assert wait_for(lambda: built(mover.user, SCHEDULE) is not None, 30)  # the move's own build
    assert b"10:00" in (built(mover.user, SCHEDULE) or b"")


def test_a_publication_queues_one_build_for_the_students_it_told(world, django_capture_on_commit_callbacks):
    crowd = [StudentFactory(group=world.group) for _ in range(3)]
    with django_capture_on_commit_callbacks() as callbacks:
        out = publish(world)
    builds = [callback for callback in callbacks if getattr(callback, "task_name", None) == BUILD_TASK]
    assert len(builds) == 1
    told = {change.student.user_id for change in out.changes}
    assert {student.user_id for student in crowd} <= told and builds[0].items == told

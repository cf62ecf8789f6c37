"""The exam page's admission poll is built ahead, as the student, when their attempt comes to a waiting state
(exams/pages_ahead.py): the next poll after identification is served from the page the worker built, without
rendering it; never another student's; an admission right after shows at once."""

import pytest
from django.urls import reverse

from attestation.tests.worker import on_the_worker, wait_for
from commissions.tests.built_pages import SERVED_BUILT, built, first_visit, logged_in
from exams import services
from exams.models import Attempt
from exams.pages_ahead import BUILD_TASK
from exams.tests.conftest import move, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State


def poll_of(world, student) -> str:
    return reverse("exams:student_status", args=[slot_of(world, student).pk])


def identify(world, student) -> Attempt:
    return move(services.attempt_for_slot(slot=slot_of(world, student)), S.IDENTIFIED, actor=world.secretary)


@on_the_worker
def test_the_poll_after_identification_is_served_from_the_page_built_by_the_worker(world, celery_worker_real):
    user, poll = world.student.user, poll_of(world, world.student)
    browser = logged_in(user)
    identify(world, world.student)
    assert wait_for(lambda: built(user, poll), 30)
    fragment, queries = first_visit(browser, poll)
    assert queries == SERVED_BUILT and 'data-state="identified"' in fragment
    assert first_visit(browser, poll)[1] == 0  # the next poll is served before the person is read


@on_the_worker
def test_a_student_never_gets_another_students_poll_built_ahead(world, celery_worker_real):
    mine, theirs = world.student.user, world.other_student.user
    identify(world, world.other_student)
    assert wait_for(lambda: built(theirs, poll_of(world, world.other_student)), 30)
    assert built(mine, poll_of(world, world.other_student)) is None
    response = logged_in(mine).get(poll_of(world, world.other_student))
    assert response.status_code == 404


@on_the_worker
def test_an_admission_right_after_identification_shows_on_the_next_poll(world, celery_worker_real):
    user, poll = world.student.user, poll_of(world, world.student)
    browser = logged_in(user)
    attempt = identify(world, world.student)
    move(attempt, S.ADMITTED, actor=world.secretary)  # while the worker may still build the identified poll
    fragment, _queries = first_visit(browser, poll)
    assert 'data-state="admitted"' in fragment and 'data-state="identified"' not in fragment
    assert built(user, poll) is None  # an admitted student's poll has a clock: never stored


def test_an_identification_queues_the_build_of_that_students_poll(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        identify(world, world.student)
    builds = [callback for callback in callbacks if getattr(callback, "task_name", None) == BUILD_TASK]
    assert len(builds) == 1 and builds[0].items == {slot_of(world, world.student).pk}


def test_an_admission_builds_nothing_ahead(world, django_capture_on_commit_callbacks):
    attempt = identify(world, world.student)
    with django_capture_on_commit_callbacks() as callbacks:
        move(attempt, S.ADMITTED, actor=world.secretary)
    assert not [callback for callback in callbacks if getattr(callback, "task_name", None) == BUILD_TASK]

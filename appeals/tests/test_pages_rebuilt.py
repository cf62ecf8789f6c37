"""After the shared cache lost the pages built ahead (Redis restarted without its data, flushed), the beat job builds
them again for the results still hot, through the announcement's own task (attestation/core/pages_rebuild.py,
appeals/pages_ahead.py): the first visit is served built again; a run that finds the cache still holding them, or
another run sending them, sends nothing; a grade amended after the emptying is the one shown."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from appeals.pages_ahead import BUILD_TASK
from appeals.tests.test_pages_built_ahead import amend, announce, grade_cell
from attestation.core import pages_rebuild
from attestation.core.student_pages import PAGE_SECONDS
from attestation.tests.worker import on_the_worker, wait_for
from commissions.models import Result
from commissions.tests.built_pages import (
    SERVED_BUILT,
    SERVED_REBUILT,
    built,
    emptied_and_rebuilt,
    first_visit,
    held_back,
    logged_in,
)

pytestmark = pytest.mark.django_db
RESULTS, SCHEDULE = reverse("appeals:my_results"), reverse("commissions:my_schedule")


def rebuild() -> int | None:
    return pages_rebuild.pages_rebuild(now=timezone.now())


def all_built(world) -> bool:
    users = (world.student.user, world.other_student.user)
    return all(built(user, path) for user in users for path in (RESULTS, SCHEDULE))


@on_the_worker
def test_the_pages_lost_with_the_cache_are_built_again_and_the_first_visit_is_served_built(world, celery_worker_real):
    user = world.student.user
    browser = logged_in(user)
    results = announce(world)
    assert emptied_and_rebuilt(lambda: all_built(world)) == 2
    page, queries = first_visit(browser, RESULTS)
    assert queries == SERVED_REBUILT
    assert grade_cell(results[user.pk]) in page
    assert first_visit(browser, SCHEDULE)[1] == SERVED_BUILT  # the session is cached again


@on_the_worker
def test_a_grade_amended_after_the_emptying_is_the_one_shown(world, celery_worker_real):
    user = world.student.user
    browser = logged_in(user)
    old = announce(world)[user.pk]
    assert wait_for(lambda: all_built(world))
    cache.clear()
    assert rebuild() == 2  # the builds it sends may run before or after the amendment
    new = amend(old, "40")
    assert grade_cell(new) != grade_cell(old)
    assert grade_cell(new) in first_visit(browser, RESULTS)[0]
    assert wait_for(lambda: grade_cell(new).encode() in (built(user, RESULTS) or b""))
    page = first_visit(browser, RESULTS)[0]
    assert grade_cell(new) in page and grade_cell(old) not in page


@pytest.fixture
def sent(monkeypatch) -> list:
    """What the job sends, by task: [(task name, items)]."""
    return held_back(monkeypatch)


def test_a_run_that_finds_the_cache_holding_them_sends_nothing(world, sent):
    announce(world)  # its own build task waits for a commit that never comes (the test's transaction)
    users = sorted([world.student.user.pk, world.other_student.user.pk])
    assert rebuild() == 2 and sent == [(BUILD_TASK, users)]
    assert rebuild() is None and len(sent) == 1
    cache.clear()
    assert rebuild() == 2 and sent == [(BUILD_TASK, users)] * 2


def test_a_run_while_another_is_sending_sends_nothing(world, sent):
    announce(world)
    assert cache.add(pages_rebuild.LOCK, "another run", pages_rebuild.LOCK_SECONDS)
    assert rebuild() is None and sent == []
    cache.delete(pages_rebuild.LOCK)  # that run ended without sending (it died)
    assert rebuild() == 2 and len(sent) == 1


def test_results_announced_before_their_pages_would_have_ended_are_not_built_again(world, sent):
    announce(world)
    Result.objects.update(announced_at=timezone.now() - dt.timedelta(seconds=PAGE_SECONDS + 1))
    assert rebuild() == 0 and sent == []
    assert cache.get(pages_rebuild.SENTINEL) is not None


def test_the_students_are_sent_to_the_announcements_task_in_batches(world, sent, monkeypatch):
    monkeypatch.setattr(pages_rebuild, "BATCH", 1)
    announce(world)
    assert rebuild() == 2
    users = sorted([world.student.user.pk, world.other_student.user.pk])
    assert sent == [(BUILD_TASK, [users[0]]), (BUILD_TASK, [users[1]])]


def test_without_a_shared_cache_the_job_does_nothing(world, sent, settings):
    settings.SHARED_CACHE = False
    announce(world)
    assert rebuild() is None and sent == []

"""After the shared cache lost the schedules built ahead for a timetable just published, the beat job builds them
again through the publication's own task (attestation/core/pages_rebuild.py, commissions/pages_ahead.py): the
students placed in the commission's sittings still to come; nothing for a timetable published before its pages
would have ended anyway."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from attestation.core import pages_rebuild
from attestation.core.student_pages import PAGE_SECONDS
from attestation.tests.factories import StudentFactory
from attestation.tests.worker import on_the_worker
from commissions.pages_ahead import BUILD_TASK
from commissions.planning.models import PlanDraft
from commissions.planning.tests.test_schedule_built_ahead import (  # noqa: F401 (autouse: the sittings still to come)
    SCHEDULE,
    before_the_period,
    publish,
    slot_link,
)
from commissions.tests.built_pages import SERVED_REBUILT, built, emptied_and_rebuilt, first_visit, held_back, logged_in

pytestmark = pytest.mark.django_db


@on_the_worker
def test_the_schedules_lost_with_the_cache_are_built_again(world, celery_worker_real):
    newcomer = StudentFactory(group=world.group).user
    browser = logged_in(newcomer)
    publish(world)
    assert emptied_and_rebuilt(lambda: built(newcomer, SCHEDULE))
    page, queries = first_visit(browser, SCHEDULE)
    assert queries == SERVED_REBUILT and slot_link(newcomer) in page


def test_a_timetable_published_before_its_pages_would_have_ended_is_not_built_again(world, monkeypatch):
    sent = held_back(monkeypatch)
    newcomer = StudentFactory(group=world.group).user
    publish(world)
    assert pages_rebuild.pages_rebuild(now=timezone.now())
    assert [name for name, items in sent if newcomer.pk in items] == [BUILD_TASK]
    PlanDraft.objects.update(published_at=timezone.now() - dt.timedelta(seconds=PAGE_SECONDS + 1))
    cache.clear()
    sent.clear()
    assert pages_rebuild.pages_rebuild(now=timezone.now()) == 0 and sent == []

"""The beat job runs on a real Celery worker fed by the configured broker (Redis on CI)."""

import datetime as dt

import pytest
import time_machine

from attestation.core.models import Heartbeat, Notification
from attestation.core.tasks import deadlines_sweep_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_deadline_sweep_runs_on_a_real_worker(world, celery_worker_real):
    with time_machine.travel(dt.datetime(2020, 5, 11, 4, 0, tzinfo=dt.UTC), tick=True):
        result = deadlines_sweep_task.delay()
        assert result.get(timeout=30) == 2
        assert deadlines_sweep_task.delay().get(timeout=30) == 0  # a second sweep at the same moment: nothing twice
    assert Notification.objects.filter(kind="slot_reminder").count() == 2
    assert Heartbeat.objects.filter(name="deadlines_sweep").exists()

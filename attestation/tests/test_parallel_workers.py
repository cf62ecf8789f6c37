"""scripts/test runs the suite in one pytest process per CPU (pytest-xdist): each process is a world of its own, so
no test sees another process's rows, tasks or files. Run without -n, the same checks hold for the one process."""

import os
from pathlib import Path

from django.conf import settings
from django.db import connection

from attestation.celery import app
from attestation.core.tasks import deadlines_sweep_task
from attestation.tests.worker import celery_queue_name, on_the_worker, queued_tasks_drop

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


@on_the_worker
def test_the_celery_worker_takes_only_the_tasks_its_own_process_sends(celery_worker_real):
    queue = celery_queue_name(WORKER)
    sent_to = app.amqp.router.route({}, "attestation.core.tasks.deadlines_sweep_task")["queue"].name
    consumed = {q.name for q in celery_worker_real.consumer.task_consumer.queues}
    assert (sent_to, consumed) == (queue, {queue})
    if WORKER:
        assert queue != "celery"  # another process's worker consumes its own queue, not the shared default


def test_each_process_has_a_test_database_of_its_own(db):
    assert connection.settings_dict["NAME"].startswith("test_")
    if WORKER:
        assert connection.settings_dict["NAME"].endswith(f"_{WORKER}")


def test_files_saved_without_a_media_root_of_their_own_stay_out_of_the_checkout():
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())


@on_the_worker
def test_the_tasks_a_committing_test_leaves_queued_are_dropped():
    """conftest.py drops them after each committing test: the next test's worker never runs them."""
    queued_tasks_drop()  # whatever a run stopped halfway left
    deadlines_sweep_task.delay()  # no worker runs in this test: it stays queued
    assert queued_tasks_drop() == 1
    assert queued_tasks_drop() == 0

"""scripts/test runs the suite in one pytest process per CPU (pytest-xdist): each process is a world of its own, so
no test sees another process's rows, tasks or files. Run without -n, the same checks hold for the one process."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attestation.celery import app
from attestation.core.tasks import deadlines_sweep_task
from attestation.tests.template_db import TEMPLATE_ENV
from attestation.tests.worker import celery_queue_name, on_the_worker, queued_tasks_count, queued_tasks_drop

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
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":  # the fallback's test database lives in this process's memory: no other sees it
        assert "mode=memory" in name
    else:
        assert name.startswith("test_") and (not WORKER or name.endswith(f"_{WORKER}"))


def test_each_process_database_has_every_migration_applied_and_is_a_copy_of_the_runs_template(db):
    """Under -n on PostgreSQL the database is copied from the template the controller migrated once
    (attestation/tests/template_db.py); copied or migrated here, nothing is left to apply."""
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    if WORKER and connection.vendor == "postgresql":
        assert connection.settings_dict["TEST"].get("TEMPLATE") == os.environ[TEMPLATE_ENV]


def test_files_saved_without_a_media_root_of_their_own_stay_out_of_the_checkout():
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())


@pytest.fixture(scope="module")
def queue_read_after_the_modules_tests():
    """Torn down after every test of this module in this process, conftest's drop after each of them included: the
    tasks those tests sent must be gone by then (an error at the module's last test if not)."""
    queued_tasks_drop()  # whatever a run stopped halfway left
    yield
    assert queued_tasks_drop() == 0, "a test of this module left its tasks queued"


@on_the_worker
def test_a_task_sent_by_a_test_whose_writes_are_rolled_back_is_dropped_after_it(queue_read_after_the_modules_tests, db):
    """conftest.py drops them after each test that touched the database, committed or not: the next test's worker
    never runs them (a rolled-back test sends too: its on-commit callbacks run by hand, a job's resend)."""
    deadlines_sweep_task.delay()  # no worker runs in this test: it stays queued until conftest's drop
    assert queued_tasks_count() == 1


@on_the_worker
def test_a_task_sent_by_a_committing_test_is_dropped_after_it(queue_read_after_the_modules_tests, transactional_db):
    deadlines_sweep_task.delay()
    assert queued_tasks_count() == 1

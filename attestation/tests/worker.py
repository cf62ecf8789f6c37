"""What the tests that wait for the real Celery worker share: their marks and the wait (the worker itself is the root
conftest's `celery_worker_real`, a thread of the test process with its own database connection)."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from attestation.celery import app

ON_THE_WORKER = [
    pytest.mark.django_db(transaction=True),  # committed rows: the worker's connection sees nothing of a test's atomic
    pytest.mark.worker,  # -m worker / -m "not worker"
    pytest.mark.requires_postgres(
        reason="the worker thread reads and writes the rows the test commits, on a connection of its own "
        "(SQLite locks the database against it)"
    ),
]


def celery_queue_name(xdist_worker: str) -> str:
    """The queue a test process's tasks go to and its Celery worker (`celery_worker_real`) consumes: one per
    pytest-xdist worker ("gw0" …), so a worker never runs a task another process's test sent (that process's rows
    are in another test database); "celery", Celery's default, in a run without -n."""
    return f"celery-{xdist_worker}" if xdist_worker else "celery"


def queued_tasks_count() -> int:
    """How many tasks wait in this process's queue."""
    with _broker() as connection:
        return connection.default_channel.queue_declare(app.conf.task_default_queue, passive=True).message_count


def _broker():
    """A connection to the suite's broker, named by the settings: Celery prefers the CELERY_BROKER_URL environment
    variable, which a test of the settings may have set to another broker until its monkeypatch is undone."""
    return app.connection_for_write(settings.CELERY_BROKER_URL)


def queued_tasks_drop() -> int:
    """Drops the tasks waiting in this process's queue (conftest.py, after each test that touched the database);
    returns how many."""
    with _broker() as connection:
        return connection.default_channel.queue_purge(app.conf.task_default_queue) or 0


def on_the_worker(test: Callable[..., Any]) -> Callable[..., Any]:
    """The marks of a test that waits for the real worker (ON_THE_WORKER; a module of such tests sets
    `pytestmark = ON_THE_WORKER`)."""
    for mark in ON_THE_WORKER:
        test = mark(test)
    return test


def wait_for(condition: Callable[[], object], seconds: float = 60) -> bool:
    """Whether `condition()` came true within `seconds`, asked every 0.1 s: the worker does its part a moment after
    the commit that queued it (and another thread or process its own, a moment after it is asked)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False

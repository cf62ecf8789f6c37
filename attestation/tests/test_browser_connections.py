"""The browser tests leave no database connection open (attestation/tests/browser.py: event_loop_running).

While Playwright's event loop counts as the test thread's running loop, Django's ORM in that thread gets connections
of their own (asgiref's thread-critical Local keeps them in a context variable); one left open stayed idle to the end
of the run, and the test database could not be dropped.
"""

import asyncio

import pytest
from django.db import connection

from attestation.tests.browser import event_loop_running
from attestation.tests.worker import wait_for

pytestmark = pytest.mark.requires_postgres(reason="reads pg_stat_activity")


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the test's transaction sees its first reading again
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 1


def test_a_connection_opened_beside_the_browsers_event_loop_is_closed_after_it(async_unsafe_allowed, db):
    outside = _backend_pid()
    loop = asyncio.new_event_loop()
    try:
        with event_loop_running(loop):
            beside = _backend_pid()
    finally:
        loop.close()
    assert beside != outside  # another connection than the test's own, which the clean-up after the test closes
    assert wait_for(lambda: not _alive(beside), 10)  # its server process ends a moment after the client closes it
    assert _backend_pid() == outside

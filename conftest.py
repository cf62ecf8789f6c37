"""Persona fixtures and the real Celery worker; prints which database and broker the suite runs on."""

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from attestation.celery import app
from attestation.tests.factories import World
from attestation.tests.template_db import use_template
from attestation.tests.together import TogetherScheduling
from attestation.tests.worker import celery_queue_name, queued_tasks_drop

pytest_plugins = [
    "attestation.tests.browser",  # the one Chromium fixture for every browser test
    "attestation.tests.transactional",  # the cheaper clean-up after each transactional test
    "attestation.tests.template_db",  # under -n: one migration a run, each process's database a copy of it
]


# The pytest-xdist worker this process is ("gw0", "gw1" …), or "" in a run without -n.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def pytest_configure(config):
    settings.SECURE_SSL_REDIRECT = False
    # Before anything sends: the router and the worker read it when they are first built.
    app.conf.task_default_queue = celery_queue_name(XDIST_WORKER)
    # Signatures are checked against a trust store holding only the TEST CA (commissions.papers.testca.shared_ca).
    settings.SIGNING_TRUST_STORE = Path(tempfile.mkdtemp(prefix="trust-"))
    # The files a test saves without a MEDIA_ROOT of its own: this process's, never var/media of the checkout (which
    # a parallel worker or the running portal writes too). Removed with the trust store at the end.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="media-"))
    # WhiteNoise indexes the static files each time a test client builds the middleware; tests serve no static.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "whitenoise" not in m]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # One process, one memory cache: shared by everything the test runs, as Redis is in production (sessions, people
    # and result pages are served from it); never a Redis database that parallel workers would share.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SHARED_CACHE = True
    settings.SESSION_ENGINE = "attestation.core.sessions.cached_db"
    # Off by default: a page's query count would then depend on whether it is the person's first request
    # (attestation/accounts/tests/test_sessions_and_people_cache.py turns it on).
    settings.CACHED_USERS = False
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]  # argon2 is tested on its own; fast hashes elsewhere


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """Under `-n` (scripts/test): the tests of the modules in attestation/tests/together.py:TOGETHER run one after
    the other in one process; every other test goes to whichever process is nearly out of work."""
    if config.getvalue("dist") == "load":
        return TogetherScheduling(config, log)
    return None


def pytest_unconfigure(config):
    for path in (settings.SIGNING_TRUST_STORE, settings.MEDIA_ROOT):
        shutil.rmtree(path, ignore_errors=True)


_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_reset_sequences"})


def _uses_the_database(item) -> bool:
    """As pytest-django decides it when it orders the tests (a django_db mark or a database fixture)."""
    return item.get_closest_marker("django_db") is not None or not _DATABASE_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ())
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The tests without the database run first, then pytest-django's order (those that roll back, then those that
    commit). pytest-django puts them last; some are long (test_demo_pages_sqlite migrates and seeds a demo of its own
    in subprocesses, ~30-60 s): last, one xdist process ran it alone while the other had nothing left to do.

    On the SQLite fallback, tests marked requires_postgres are skipped, each saying why it needs PostgreSQL."""
    items.sort(key=_uses_the_database)  # stable: pytest-django's order within the database's tests is kept
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    for item in items:
        marker = item.get_closest_marker("requires_postgres")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "needs PostgreSQL")
            item.add_marker(pytest.mark.skip(reason=f"SQLite fallback: {reason}"))


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL
    lines = [f"attestation: database = {engine} ({db.get('HOST') or db.get('NAME')})", f"attestation: broker = {broker}"]
    if engine == "sqlite3":
        lines.append("attestation: FALLBACK to SQLite — PostgreSQL was not reachable")
    if broker.startswith("memory"):
        lines.append("attestation: FALLBACK to the in-memory broker — Redis was not reachable")
    return lines


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: nothing cached by another test's rows (SQLite reuses their keys)."""
    from django.core.cache import cache  # after pytest_configure above has chosen the test cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_task_outlives_its_test(request):
    """The tasks a test left in this process's queue (sent with no worker running, or not yet taken) go with its
    rows: left, the next test's worker ran them against rows that no longer exist or, for a task that takes no ids
    (the deadline sweep), against that test's own rows, and which test that is depends on what ran before it in this
    process. Not only a committing test sends: a rolled-back one runs its on-commit callbacks with
    django_capture_on_commit_callbacks(execute=True), and a job's resend sends at once. Every test that uses the
    database (`_uses_the_database`, as the tests are ordered) is followed by one purge of the queue. Set up before,
    so torn down after, the test's worker and its database clean-up."""
    yield
    if _uses_the_database(request.node):
        queued_tasks_drop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """pytest-django's, and then: under -n, the test database is created from the run's migrated template
    (attestation/tests/template_db.py)."""
    use_template(request.config)


@pytest.fixture(scope="session")
def celery_app_real():
    app.conf.task_always_eager = False
    return app


@pytest.fixture
def celery_worker_real(celery_app_real, transactional_db):
    """A real worker thread consuming from the configured broker (Redis on CI)."""
    with start_worker(celery_app_real, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def world(db):
    return World.build()


@pytest.fixture
def student(world):
    return world.student.user


@pytest.fixture
def other_student(world):
    return world.other_student.user


@pytest.fixture
def chair(world):
    return world.chair


@pytest.fixture
def member(world):
    return world.member


@pytest.fixture
def secretary(world):
    return world.secretary


@pytest.fixture
def outsider(world):
    return world.outsider


@pytest.fixture
def kz_2020():
    """A real date in Kazakhstan's 2020 calendar, Wednesday 6 May 2020."""
    return dt.date(2020, 5, 6)


def pytest_terminal_summary(terminalreporter):
    """Repeat the backends at the end, where a quiet run still shows them."""
    for line in pytest_report_header(terminalreporter.config):
        terminalreporter.write_line(line)

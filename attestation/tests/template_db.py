"""One migration a run: under `-n` on PostgreSQL, each pytest-xdist process's test database is a copy of a template
migrated once (a pytest plugin; the root conftest.py loads it and asks `use_template` before the database is made).

Migrating an empty database cost each process 30-45 s on a loaded 2-CPU machine (Django renders the models' state
~14 000 times over the migrations), and every process (test_<name>_gw0 …) migrated its own, all at once. Here the
controller, the process that only shares the tests out, migrates `test_<name>_template` in a thread from the start
of the run, while the processes start and run the tests without the database (they come first, conftest.py). Each
process's database is then created `WITH TEMPLATE` it (Django's TEST["TEMPLATE"]): a copy of the files. Django's
`migrate` still runs on the copy as on any test database: it finds nothing left to apply (or applies what a template
whose migration failed part-way lacks, failing as it would have), and the post_migrate handlers run in the process.

A process waits for the template by taking the advisory lock that the controller's thread holds while it migrates.
The template is dropped at the end of the run. Without -n, on the SQLite fallback, with --reuse-db or --nomigrations,
each process creates its database as before.
"""

import os
import threading
import zlib

import pytest
from django.conf import settings
from django.db import connection
from pytest_django.plugin import blocking_manager_key

TEMPLATE_ENV = "ATTESTATION_TEST_TEMPLATE_DB"  # set by the controller, read by its xdist processes
LOCK_SECONDS = 30  # the controller waits this long for its thread to take the lock before going on without a template
DROP_WAIT_SECONDS = 120  # at the end of the run, for a migration still under way (a run with no database test)


def _lock_key(name: str) -> int:
    return zlib.crc32(name.encode())


def _wanted(config: pytest.Config) -> bool:
    return (
        bool(config.getoption("numprocesses", None))
        and not hasattr(config, "workerinput")
        and connection.vendor == "postgresql"
        and not config.getvalue("reuse_db")
        and not config.getvalue("nomigrations")
    )


class Template:
    """The controller's thread that migrates the template, holding the lock until it is done and disconnected."""

    def __init__(self, config: pytest.Config) -> None:
        self.blocker = config.stash[blocking_manager_key]
        self.name = f"{connection.creation._get_test_db_name()}_template"
        self.locked = threading.Event()
        self.holding = False
        self.thread = threading.Thread(target=self._build, name="test-db-template", daemon=True)

    def start(self) -> bool:
        """Whether the thread took the lock (the processes started after this then wait for it to be done)."""
        self.thread.start()
        self.locked.wait(LOCK_SECONDS)
        return self.holding

    def _build(self) -> None:
        test_settings = settings.DATABASES["default"]["TEST"]
        name_before, test_name_before = settings.DATABASES["default"]["NAME"], test_settings.get("NAME")
        try:
            with self.blocker.unblock(), connection.creation._nodb_cursor() as lock:
                lock.execute("SELECT pg_advisory_lock(%s)", [_lock_key(self.name)])
                self.holding = True
                self.locked.set()
                try:
                    test_settings["NAME"] = self.name
                    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                finally:
                    connection.close()  # a template cannot be copied while a session is connected to it
                    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name_before
                    test_settings["NAME"] = test_name_before
                    lock.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(self.name)])
        finally:
            self.locked.set()

    def drop(self) -> None:
        """Once the thread is done; a run stopped while it still migrates leaves the template to the next run, which
        replaces it."""
        self.thread.join(DROP_WAIT_SECONDS)
        if self.thread.is_alive():
            return
        with self.blocker.unblock(), connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(self.name)}")


_template: Template | None = None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """In the controller, before pytest-xdist starts its processes (which inherit the environment)."""
    global _template
    if _wanted(session.config):
        _template = Template(session.config)
        if _template.start():
            os.environ[TEMPLATE_ENV] = _template.name


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """After pytest-xdist's processes have ended and dropped their copies."""
    global _template
    if _template is not None:
        _template.drop()
        os.environ.pop(TEMPLATE_ENV, None)
        _template = None


def use_template(config: pytest.Config) -> None:
    """In an xdist process, before its test database is created: waits for the controller's template and has the
    database created from it, when the controller made one."""
    name = os.environ.get(TEMPLATE_ENV)
    if not name or not hasattr(config, "workerinput") or connection.vendor != "postgresql":
        return
    with config.stash[blocking_manager_key].unblock(), connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key(name)])  # until the controller's thread is done
        cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(name)])
        cursor.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [name])
        made = cursor.fetchone() is not None
    if made:
        settings.DATABASES["default"]["TEST"]["TEMPLATE"] = name

"""The clean-up after each transactional test (a pytest plugin; the root conftest.py loads it).

The tests that need real commits (`django_db(transaction=True)`, `transactional_db`, `live_server`: the real Celery
worker, Chromium against the live server, concurrent connections) end with Django's flush
(`TransactionTestCase._fixture_teardown`): one `TRUNCATE` of every table, then `post_migrate`, which finds the content
types and permissions gone and writes them again. On PostgreSQL a `TRUNCATE` gives each table and each of its indexes
a new file, whether it held rows or not: with ~150 tables that cost 0.3-4 s a test on a loaded 2-CPU machine, and
`post_migrate` another 0.1-0.4 s.

Here the flush empties the same tables, only cheaper, and leaves the database exactly as Django's flush leaves it:

1. one query finds the tables that hold rows (`SELECT 'name' WHERE EXISTS (SELECT 1 FROM name) UNION ALL …`); only
   those are emptied, with `DELETE` (a few rows a test: no new files; the foreign keys are checked at the commit,
   as Django creates them deferred on PostgreSQL and SQLite). Sequences are not reset, as in Django's flush;
2. `django_content_type` and `auth_permission` are not emptied, so there is nothing for `post_migrate` to write
   again, when they hold at the end of the test exactly the rows they held at its start (compared row by row, ids
   included). A test that adds, changes or deletes a content type or a permission gets Django's own flush instead;
3. Django's own flush also serves a test that asks for `available_apps`, `serialized_rollback` or `fixtures`, and
   any database error of the fast path (rolled back first).

Each transactional test starts with the content types and permissions intact: the first one after the migrations,
each later one after this clean-up (the tests in `transaction=False` mode roll back; pytest-django runs the
transactional tests after them). `attestation/tests/test_transactional_cleanup.py` proves that no row reaches the
next test and that the content types and permissions stay whole. Works on PostgreSQL and on the SQLite fallback.
"""

from collections.abc import Iterable

import django.test
from django.db import DatabaseError, connections, transaction

KEPT_TABLES = ("django_content_type", "auth_permission")  # what post_migrate would otherwise write again
KEPT_ROWS = {
    "django_content_type": "SELECT id, app_label, model FROM django_content_type ORDER BY id",
    "auth_permission": "SELECT id, content_type_id, codename, name FROM auth_permission ORDER BY id",
}
UNION_TERMS = 400  # SQLite allows 500 terms in one compound SELECT


class Counts:
    """How many clean-ups took each path in this run (read by the tests of this plugin)."""

    fast = 0
    full = 0


_django_fixture_setup = django.test.TransactionTestCase.__dict__["_fixture_setup"]  # the classmethod itself
_django_fixture_teardown = django.test.TransactionTestCase._fixture_teardown
_tables: dict[str, list[str]] = {}


def kept_rows(alias: str) -> dict[str, list[tuple]]:
    """The rows of the content types and permissions, ids included."""
    with connections[alias].cursor() as cursor:
        rows = {}
        for table, sql in KEPT_ROWS.items():
            cursor.execute(sql)
            rows[table] = [tuple(row) for row in cursor.fetchall()]
        return rows


def tables_with_rows(alias: str, tables: Iterable[str]) -> list[str]:
    """Those of `tables` that hold at least one row, found in one query per 400 tables."""
    connection = connections[alias]
    tables = list(tables)
    found: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(tables), UNION_TERMS):
            chunk = tables[start : start + UNION_TERMS]
            sql = " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})"  # noqa: S608 - Django's table names
                for table in chunk
            )
            cursor.execute(sql, chunk)
            found.extend(row[0] for row in cursor.fetchall())
    return found


def flushed_tables(alias: str) -> list[str]:
    """The tables Django's flush would empty (its own list, read once a run), without the content types and
    permissions."""
    if alias not in _tables:
        names = connections[alias].introspection.django_table_names(only_existing=True, include_views=False)
        _tables[alias] = sorted(name for name in names if name not in KEPT_TABLES)
    return _tables[alias]


def empty_tables(alias: str) -> list[str]:
    """Empty every table of `flushed_tables` that holds rows, in one transaction; returns the tables emptied."""
    connection = connections[alias]
    with transaction.atomic(using=alias, savepoint=False):
        full = tables_with_rows(alias, flushed_tables(alias))
        with connection.cursor() as cursor:
            for table in full:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - Django's table names
    return full


def _fast_path_allowed(test_case) -> bool:
    return test_case.available_apps is None and not test_case.serialized_rollback and not test_case.fixtures


@classmethod  # type: ignore[misc]
def _fixture_setup(cls):
    """The content types and permissions as they are at the start of the test, before its fixtures."""
    cls._kept_at_start = {alias: kept_rows(alias) for alias in cls._databases_names(include_mirrors=False)}
    _django_fixture_setup.__func__(cls)


def _fixture_teardown(self):
    """Django's flush, without the TRUNCATE of empty tables and without post_migrate when nothing needs it."""
    start = getattr(self, "_kept_at_start", {})
    aliases = self._databases_names(include_mirrors=False)
    if _fast_path_allowed(self) and all(alias in start for alias in aliases):
        try:
            for alias in aliases:
                # In the transaction that empties the tables: nothing changes the compared rows in between.
                with transaction.atomic(using=alias, savepoint=False):
                    if kept_rows(alias) != start[alias]:
                        break
                    empty_tables(alias)
            else:
                Counts.fast += 1
                return
        except DatabaseError:
            pass  # rolled back; Django's flush below
    Counts.full += 1
    _django_fixture_teardown(self)


def pytest_configure(config):
    django.test.TransactionTestCase._fixture_setup = _fixture_setup
    django.test.TransactionTestCase._fixture_teardown = _fixture_teardown


def pytest_unconfigure(config):
    django.test.TransactionTestCase._fixture_setup = _django_fixture_setup
    django.test.TransactionTestCase._fixture_teardown = _django_fixture_teardown

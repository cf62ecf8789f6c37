"""A read the pages students hit at once make on every miss, built and compiled by the ORM once per process.

Django builds a queryset (filters, joins, `select_related`, annotations) and compiles it to SQL again on every call:
for the results page's one query that was ~2 ms of a ~10 ms miss, the same again for the schedule's and the exam
poll's, against ~0.3 ms for the query on the wire (issue 18, docs/performance.md). `PreparedQuery` builds the
queryset once, with a distinct stand-in for each integer, date or text it takes (a person's or a slot's id, the first
and last day of a stretch of the calendar, a session's key), compiles it once per database alias, and on each call
runs that SQL with the call's values in the stand-ins' places (a date as the database backend passes it: itself, or
its ISO text on SQLite); the rows come back through Django's own iterator, as the queryset's model instances
(`select_related`, `only`, annotations and `prefetch_related` as usual). The converters of the selected columns (what
turns each database value into the field's Python value) are looked up once with the SQL: Django asks every column for
them on every query, ~20 columns for a slot with its sitting, commission and institution.

On PostgreSQL (psycopg2) the compiled SQL is also prepared on the database, once per database session, as a statement
that takes the call's values (`PREPARE`; each call an `EXECUTE`): PostgreSQL plans it once instead of on every call.
The results page's query joins eight tables and was planned anew on every miss: ~0.8 ms of the server's CPU against
0.06 ms running it (docs/performance.md, session 13). Not behind PgBouncer in transaction mode, which hands a session's
statements to other clients (`DATABASE_PREPARED_STATEMENTS=false`, docs/production.md).

Only for a queryset whose SQL depends on nothing but its values: no value read from the clock, the language, the
time zone or settings when it is built (those would be frozen at the first call), and no integer, date or text the
query takes that is not one of the call's (a stand-in is found among the compiled parameters; each must be found).
Every call returns a new list: the queryset itself is never handed out, so nothing can chain a filter onto the
compiled SQL.
"""

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from threading import Lock
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model, QuerySet
from psycopg2.extensions import AsIs

M = TypeVar("M", bound=Model)

# Stand-ins no id takes (ids are positive): the k-th integer of a call is built and compiled as _STAND_IN - k; the
# k-th date as the k-th day after _STAND_IN_DAY (no calendar of the portal reaches back to the year 1); the k-th text
# as _STAND_IN_TEXT and k (no key the portal makes holds a NUL).
_STAND_IN = -7_340_032_000
_STAND_IN_DAY = dt.date(1, 2, 3)
_STAND_IN_TEXT = "\x00prepared-stand-in-"
_KINDS = (int, dt.date, str)
_SERVER_TYPES = {int: "bigint", dt.date: "date", str: "text"}
_NAMES = itertools.count()
_HELD = "_prepared_statements"  # on a connection: (its database session, the names prepared in it)


def _stand_in(k: int, kind: type) -> object:
    if kind is str:
        return f"{_STAND_IN_TEXT}{k}"
    return _STAND_IN - k if kind is int else _STAND_IN_DAY + dt.timedelta(days=k)


def _as_passed(value: object, text: bool) -> object:
    return value.isoformat() if text and isinstance(value, dt.date) else value


class PreparedQuery(Generic[M]):
    """`build(*values)` → a queryset, built and compiled on the first call; `query.list(*values)` → its rows as model
    instances (or tuples, for `values_list`), as `list(build(*values))` would return them; each value an integer, a
    date or a text, of the same kinds at every call."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build
        self._name = ""  # of its statement on the server, set with the SQL: after its table, as a log shows it
        self._prepared: tuple | None = None  # (queryset, compiler, sql, params, where each value goes, kinds, converters)
        self._lock = Lock()

    def _prepare(self, kinds: tuple[type, ...]) -> tuple:
        stand_ins = [_stand_in(k, kind) for k, kind in enumerate(kinds)]
        queryset = self._build(*stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        places = [
            [(i, value != stand_in) for i, value in enumerate(params) if value in (stand_in, _as_passed(stand_in, True))]
            for stand_in in stand_ins
        ]
        if not all(places):
            raise ValueError(f"{queryset.model.__name__}: each value must be a parameter of the compiled query")
        converters = compiler.get_converters([column[0] for column in compiler.select[0 : compiler.col_count]])
        with self._lock:
            if self._prepared is None:
                self._name = f"att_{queryset.model._meta.db_table}_{next(_NAMES)}"
                self._prepared = (queryset, compiler, sql, tuple(params), places, kinds, converters)
            return self._prepared

    def list(self, *values: int | dt.date | str) -> list[M]:
        kinds = tuple(type(value) for value in values)
        if not all(kind in _KINDS for kind in kinds):
            raise TypeError("a prepared query takes integers, dates and texts only")
        queryset, compiler, sql, params, places, prepared_kinds, converters = self._prepared or self._prepare(kinds)
        if kinds != prepared_kinds:
            raise TypeError(f"this prepared query takes {', '.join(kind.__name__ for kind in prepared_kinds)}")
        filled = list(params)
        for value, indexes in zip(values, places, strict=True):
            for index, text in indexes:
                filled[index] = _as_passed(value, text)
        run = copy.copy(compiler)  # this call's own: the thread's connection, the SQL with this call's integers
        run.connection = connections[compiler.using]
        executed = self._on_server(run.connection, sql, params, places, kinds)
        if executed is not None:
            sql, filled = executed, list(values)
        run.as_sql = lambda *args, **kwargs: (sql, tuple(filled))
        run.get_converters = lambda expressions: converters  # the selected columns' own, looked up once
        query = copy.copy(queryset.query)
        query.get_compiler = lambda *args, **kwargs: run
        rows = QuerySet(model=queryset.model, query=query, using=compiler.using)
        rows._prefetch_related_lookups = queryset._prefetch_related_lookups
        rows._iterable_class, rows._fields = queryset._iterable_class, queryset._fields
        return list(rows)

    def _on_server(self, connection, sql: str, params: tuple, places: list, kinds: tuple) -> str | None:
        """`EXECUTE` of this query's statement, prepared first in the connection's database session if it is not yet;
        None where statements are not prepared (not PostgreSQL with psycopg2, or DATABASE_PREPARED_STATEMENTS off)."""
        if not settings.DATABASE_PREPARED_STATEMENTS or connection.vendor != "postgresql":
            return None
        if connection.Database.__name__ != "psycopg2":
            return None
        connection.ensure_connection()
        session = connection.connection
        held = getattr(connection, _HELD, None)
        if held is None or held[0] is not session:  # a new database session (reconnected): nothing prepared in it
            held = (session, set())
            setattr(connection, _HELD, held)
        if self._name not in held[1]:
            # Through the driver's own cursor: the statement is not one of the request's queries (nothing to count or
            # log); it outlives a rollback of the transaction it was made in, as PostgreSQL keeps it for the session.
            with session.cursor() as cursor:
                cursor.execute(self._statement(cursor, sql, params, places, kinds))
            held[1].add(self._name)
        return f"EXECUTE {self._name} ({', '.join(['%s'] * len(kinds))})"

    def _statement(self, cursor, sql: str, params: tuple, places: list, kinds: tuple) -> bytes:
        """`PREPARE name (types) AS` the compiled SQL, with $1, $2… where the call's values go and every other
        parameter written in by the driver as it would send it."""
        marked = list(params)
        for k, indexes in enumerate(places, start=1):
            for index, _text in indexes:
                marked[index] = AsIs(f"${k}")
        types = ", ".join(_SERVER_TYPES[kind] for kind in kinds)
        return f"PREPARE {self._name} ({types}) AS ".encode() + cursor.mogrify(sql, marked)

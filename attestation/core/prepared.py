"""A read the pages students hit at once make on every miss, built and compiled by the ORM once per process.

Django builds a queryset (filters, joins, `select_related`, annotations) and compiles it to SQL again on every call:
for the results page's one query that was ~2 ms of a ~10 ms miss, the same again for the schedule's and the exam
poll's, against ~0.3 ms for the query on the wire (issue 18, docs/performance.md). `PreparedQuery` builds the
queryset once, with a distinct stand-in for each integer it takes (a person's or a slot's id), compiles it once per
database alias, and on each call runs that SQL with the call's integers in the stand-ins' places; the rows come back
through Django's own iterator, as the queryset's model instances (`select_related`, `only`, annotations and
`prefetch_related` as usual).

Only for a queryset whose SQL depends on nothing but its integers: no value read from the clock, the language, the
time zone or settings when it is built (those would be frozen at the first call), and no integer the query takes
that is not one of the call's (a stand-in is found among the compiled parameters; each must be found). Every call
returns a new list: the queryset itself is never handed out, so nothing can chain a filter onto the compiled SQL.
"""

import copy
from collections.abc import Callable
from threading import Lock
from typing import Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# Stand-ins no id takes (ids are positive): the k-th integer of a call is built and compiled as _STAND_IN - k.
_STAND_IN = -7_340_032_000


class PreparedQuery(Generic[M]):
    """`build(*ints)` → a queryset, built and compiled on the first call; `query.list(*ints)` → its rows as model
    instances, as `list(build(*ints))` would return them."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build
        self._prepared: tuple | None = None  # (queryset, compiler, sql, params, where each integer goes)
        self._lock = Lock()

    def _prepare(self, arity: int) -> tuple:
        stand_ins = [_STAND_IN - k for k in range(arity)]
        queryset = self._build(*stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        places = [[i for i, value in enumerate(params) if value == stand_in] for stand_in in stand_ins]
        if not all(places):
            raise ValueError(f"{queryset.model.__name__}: each integer must be a parameter of the compiled query")
        with self._lock:
            if self._prepared is None:
                self._prepared = (queryset, compiler, sql, tuple(params), places)
            return self._prepared

    def list(self, *values: int) -> list[M]:
        if not all(type(value) is int for value in values):
            raise TypeError("a prepared query takes integers only")
        queryset, compiler, sql, params, places = self._prepared or self._prepare(len(values))
        if len(places) != len(values):
            raise TypeError(f"this prepared query takes {len(places)} integers")
        filled = list(params)
        for value, indexes in zip(values, places, strict=True):
            for index in indexes:
                filled[index] = value
        run = copy.copy(compiler)  # this call's own: the thread's connection, the SQL with this call's integers
        run.connection = connections[compiler.using]
        run.as_sql = lambda *args, **kwargs: (sql, tuple(filled))
        query = copy.copy(queryset.query)
        query.get_compiler = lambda *args, **kwargs: run
        rows = QuerySet(model=queryset.model, query=query, using=compiler.using)
        rows._prefetch_related_lookups = queryset._prefetch_related_lookups
        rows._iterable_class, rows._fields = queryset._iterable_class, queryset._fields
        return list(rows)

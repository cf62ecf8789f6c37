import datetime as dt
import os
import runpy

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from attestation.core.prepared import PreparedQuery
from attestation.institutions.models import Student
from attestation.tests.factories import StudentFactory
from attestation.workcal.models import CalendarOverride

pytestmark = pytest.mark.django_db


def _students_of(user_id: int, institution_id: int):
    return Student.objects.filter(user_id=user_id, institution_id=institution_id).select_related("user", "institution")


def test_each_call_gets_the_rows_of_its_own_integers_as_the_plain_queryset_does(world):
    query = PreparedQuery(_students_of)
    first, second = StudentFactory(group=world.group), StudentFactory(group=world.group)
    for student in (first, second, first):
        rows = query.list(student.user_id, student.institution_id)
        assert rows == list(_students_of(student.user_id, student.institution_id)) == [student]
        assert rows[0].user.username == student.user.username  # the joined rows come with it: no query for them
    assert query.list(first.user_id, first.institution_id + 1) == []


def test_a_call_runs_one_query_and_compiles_nothing(world):
    query = PreparedQuery(_students_of)
    student = StudentFactory(group=world.group)
    query.list(student.user_id, student.institution_id)
    compiled = query._prepared
    with CaptureQueriesContext(connection) as ctx:
        (row,) = query.list(student.user_id, student.institution_id)
        assert row.institution.pk == student.institution_id
    assert len(ctx.captured_queries) == 1
    assert query._prepared is compiled


def test_an_integer_that_is_not_a_parameter_of_the_query_is_refused():
    query = PreparedQuery(lambda user_id: Student.objects.all())
    with pytest.raises(ValueError):
        query.list(1)


def test_only_the_query_s_own_kinds_and_number_of_values():
    query = PreparedQuery(lambda user_id: Student.objects.filter(user_id=user_id))
    with pytest.raises(TypeError):
        query.list(1.0)
    query.list(1)
    with pytest.raises(TypeError):
        query.list("1")
    with pytest.raises(TypeError):
        query.list(1, 2)


def test_texts_are_put_in_their_places_as_integers_are(world):
    query = PreparedQuery(lambda username: Student.objects.filter(user__username=username).select_related("user"))
    first, second = StudentFactory(group=world.group), StudentFactory(group=world.group)
    for student in (first, second, first):
        assert query.list(student.user.username) == [student]
    assert query.list(first.user.username + "x") == []


def test_the_columns_converters_are_looked_up_once(world, monkeypatch):
    """Each call's rows are the plain queryset's, without asking every column for its converters again."""
    student = StudentFactory(group=world.group)
    query = PreparedQuery(_students_of)
    query.list(student.user_id, student.institution_id)
    looked_up = []
    get_converters = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler, "get_converters", lambda self, cols: looked_up.append(cols) or get_converters(self, cols)
    )
    assert query.list(student.user_id, student.institution_id) == [student]
    assert looked_up == []


def test_dates_are_put_in_their_places_as_integers_are(world):
    def days_of(start, end, institution_id):
        return CalendarOverride.objects.filter(institution_id=institution_id, date__range=(start, end)).values_list(
            "date", flat=True
        )

    query = PreparedQuery(days_of)
    for day in (dt.date(2020, 7, 2), dt.date(2020, 7, 9)):
        CalendarOverride.objects.create(institution=world.institution, date=day, kind=CalendarOverride.Kind.DAY_OFF)
    pk = world.institution.pk
    assert query.list(dt.date(2020, 7, 1), dt.date(2020, 7, 5), pk) == [dt.date(2020, 7, 2)]
    assert query.list(dt.date(2020, 7, 5), dt.date(2020, 7, 9), pk) == [dt.date(2020, 7, 9)]
    assert query.list(dt.date(2020, 7, 2), dt.date(2020, 7, 2), pk) == [dt.date(2020, 7, 2)]
    assert query.list(dt.date(2020, 7, 1), dt.date(2020, 7, 31), pk + 1) == []
    with pytest.raises(TypeError):
        query.list(dt.datetime(2020, 7, 1, tzinfo=dt.UTC), dt.date(2020, 7, 5), pk)  # a moment is not a day
    with pytest.raises(TypeError):
        query.list(1, 2, pk)


def _prepared_on_server() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only")
def test_the_database_plans_a_prepared_query_once_per_session_and_each_call_executes_it(world):
    query = PreparedQuery(_students_of)
    first, second = StudentFactory(group=world.group), StudentFactory(group=world.group)
    assert query.list(first.user_id, first.institution_id) == [first]
    assert query._name in _prepared_on_server()
    with CaptureQueriesContext(connection) as ctx:
        assert query.list(second.user_id, second.institution_id) == [second]
    assert [q["sql"] for q in ctx.captured_queries] == [f"EXECUTE {query._name} ({second.user_id}, {second.institution_id})"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_new_database_session_gets_the_statement_prepared_again(world):
    query = PreparedQuery(_students_of)
    student = StudentFactory(group=world.group)
    assert query.list(student.user_id, student.institution_id) == [student]
    connection.close()  # reconnected at the next query: a database session without the statement
    assert query.list(student.user_id, student.institution_id) == [student]
    assert query._name in _prepared_on_server()


def test_without_prepared_statements_the_sql_itself_is_sent(world, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False  # behind PgBouncer in transaction mode
    query = PreparedQuery(_students_of)
    student = StudentFactory(group=world.group)
    with CaptureQueriesContext(connection) as ctx:
        assert query.list(student.user_id, student.institution_id) == [student]
    assert ctx.captured_queries[0]["sql"].startswith("SELECT")


def _prepared_setting(monkeypatch, **environ) -> bool:
    for name in ("DATABASE_PREPARED_STATEMENTS", "DATABASE_DISABLE_SERVER_SIDE_CURSORS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(os.path.join(settings.BASE_DIR, "attestation", "settings.py"))["DATABASE_PREPARED_STATEMENTS"]


@pytest.mark.django_db(databases=[])
def test_a_pgbouncer_deployment_that_turned_server_side_cursors_off_sends_no_prepared_statements(monkeypatch):
    # docs/production.md has a deployment behind PgBouncer in transaction mode turn server-side cursors off; one that
    # followed it before prepared statements existed must not start sending them to a pool that loses them
    assert _prepared_setting(monkeypatch) is True
    assert _prepared_setting(monkeypatch, DATABASE_DISABLE_SERVER_SIDE_CURSORS="true") is False
    assert _prepared_setting(monkeypatch, DATABASE_DISABLE_SERVER_SIDE_CURSORS="true", DATABASE_PREPARED_STATEMENTS="true")

"""The import's foreign keys checked set-based (transcript_keys.py): a dangling id is never written, a concurrent
delete waits for the import, the role is back to origin after the INSERT, and a table with a trigger of its own
keeps the row-by-row path (replica mode would skip that trigger)."""

import io
import threading
import time

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import translation

from attestation.tests.factories import StudentFactory
from exams.applications import transcript_keys, transcripts
from exams.applications.models import TranscriptRow

pytestmark = pytest.mark.requires_postgres(reason="row locks, a second connection and session_replication_role")
HEADER = "IIN,Discipline code,Period,Kind,Points\n"


def _import(world, text: str):
    return transcripts.transcripts_import_file(
        actor=None, institution=world.institution, upload=io.BytesIO((HEADER + text).encode()), kind="csv"
    )


def _replica_allowed() -> bool:
    with connection.cursor() as cursor:
        return transcript_keys.replica_allowed(cursor)


@pytest.mark.django_db
def test_the_test_database_role_takes_the_set_based_path(world):
    assert _replica_allowed()  # the tests below would otherwise only test the triggers' path


@pytest.mark.django_db
def test_an_id_that_is_not_in_the_table_is_neither_locked_nor_kept(world, disciplines):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE checked_ids (student_id bigint, discipline_id bigint) ON COMMIT DROP")
        cursor.execute(
            "INSERT INTO checked_ids VALUES (%s, %s), (%s, %s)",
            [world.student.pk, disciplines["basic"].pk, world.student.pk + 10_000, disciplines["basic"].pk],
        )
        assert not transcript_keys.keys_lock(cursor, transcript_keys.ids_in("checked_ids"))
        assert transcript_keys.keys_missing(cursor, "checked_ids") == 1
        cursor.execute("SELECT student_id, discipline_id FROM checked_ids ORDER BY student_id NULLS LAST")
        assert cursor.fetchall() == [(world.student.pk, disciplines["basic"].pk), (None, disciplines["basic"].pk)]
        cursor.execute("DELETE FROM checked_ids WHERE student_id IS NULL")
        assert transcript_keys.keys_lock(cursor, transcript_keys.ids_in("checked_ids"))


@pytest.mark.django_db
def test_the_role_is_back_to_origin_after_the_insert_and_later_keys_are_checked_at_the_commit(world, disciplines):
    with transaction.atomic():
        assert _import(world, f"{world.student.iin},DB2201,2019-2,current,50\n").written == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('session_replication_role')")
            assert cursor.fetchone()[0] == "origin"
        with pytest.raises(Exception, match="foreign key"), transaction.atomic():  # noqa: B017 - psycopg2's error
            TranscriptRow.objects.create(
                student_id=world.student.pk + 10_000,
                discipline=disciplines["basic"],
                period="2019-2",
                kind="final",
                points=1,
            )
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_trigger_of_the_score_table_keeps_the_row_by_row_path_and_still_fires(world, disciplines):
    table = TranscriptRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE fired (n integer)")
        cursor.execute(
            "CREATE FUNCTION pg_temp.count_score() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO fired VALUES (1); RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER count_score AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION pg_temp.count_score()"
        )
        assert not transcript_keys.replica_allowed(cursor)
        iin = world.student.iin
        assert _import(world, f"{iin},DB2201,2019-2,current,50\n{iin},ML3301,2019-2,final,60\n").written == 2
        cursor.execute("SELECT count(*) FROM fired")
        assert cursor.fetchone()[0] == 2


@pytest.mark.django_db
def test_a_role_may_take_the_set_based_path_only_when_granted_the_parameter(world):
    if connection.pg_version < 150000:
        pytest.skip("GRANT SET ON PARAMETER is PostgreSQL 15's")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE transcript_importer NOSUPERUSER")
        cursor.execute("SET LOCAL ROLE transcript_importer")
        assert not transcript_keys.replica_allowed(cursor)
        cursor.execute("RESET ROLE")
        cursor.execute("GRANT SET ON PARAMETER session_replication_role TO transcript_importer")
        cursor.execute("SET LOCAL ROLE transcript_importer")
        assert transcript_keys.replica_allowed(cursor)
        cursor.execute("RESET ROLE")
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_a_student_cannot_be_deleted_while_an_import_of_their_scores_is_open(world, disciplines):
    with transaction.atomic():
        assert _import(world, f"{world.student.iin},DB2201,2019-2,current,50\n").written == 1
        other = connection.copy()
        try:
            with pytest.raises(OperationalError, match="lock timeout"), other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
                cursor.execute("DELETE FROM institutions_student WHERE id = %s", [world.student.pk])
        finally:
            other.close()
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stored", [0, 6], ids=["new scores", "most scores stored and unchanged"])
def test_a_student_deleted_while_the_import_waits_for_the_lock_is_named_and_nothing_is_written(world, disciplines, stored):
    scores = [  # six of the file's eight scores stored as they are: the way that keeps only the rows to write
        # (transcripts._kept) checks the file, and every row is checked again to name the deleted student's
        f"{world.other_student.iin},{code},2019-2,{kind},40\n"
        for code in ("ML3301", "OS2202")
        for kind in ("current", "midterm", "final")
    ]
    unchanged = "".join(scores[:stored])
    if stored:
        assert _import(world, unchanged).added == stored
    gone = StudentFactory(group=world.group, user=None)
    deleter = connection.copy()
    deleter.inc_thread_sharing()  # committed from the timer's thread
    deleter.set_autocommit(False)
    with deleter.cursor() as cursor:  # deleted, not yet committed: the import's checks still find the student
        cursor.execute("SET lock_timeout = '5s'")
        cursor.execute("DELETE FROM institutions_student WHERE id = %s", [gone.pk])
    delay, statements = 0.5, list[str]()
    commit = threading.Timer(delay, deleter.commit)
    commit.start()
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a broken test fails rather than waits for ever
        with (
            translation.override("en"),
            connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)),
        ):
            result = _import(
                world,
                f"{world.student.iin},DB2201,2019-2,current,50\n{gone.iin},DB2201,2019-2,final,60\n{unchanged}",
            )
    finally:
        commit.join()
        deleter.dec_thread_sharing()
        deleter.close()
    assert time.monotonic() - started >= delay * 0.9  # it waited for the delete, as the key's trigger would
    assert (result.written, result.errors) == (0, [(3, f"no student {gone.iin} in this institution")])
    assert TranscriptRow.objects.count() == stored
    assert (transcripts.KEPT in statements) is bool(stored)

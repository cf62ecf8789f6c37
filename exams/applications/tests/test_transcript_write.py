"""The import's write: what the checks found is written directly (a plain INSERT of the new scores, an UPDATE of
the changed ones), and a score that another transaction inserted, deleted or changed after the checks sends the
whole file through the one INSERT … ON CONFLICT instead: nothing lost, nothing twice, the counts exact."""

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from exams.applications import transcripts
from exams.applications.models import TranscriptRow

pytestmark = pytest.mark.requires_postgres(reason="a second connection's uncommitted write, and row locks")
HEADER = "IIN,Discipline code,Period,Kind,Points\n"
TABLE = TranscriptRow._meta.db_table
DELAY = 0.5  # the other transaction commits this long after the import started


def _import(world, text: str):
    return transcripts.transcripts_import_file(
        actor=None, institution=world.institution, upload=io.BytesIO((HEADER + text).encode()), kind="csv"
    )


def _counts(result) -> tuple[int, int, int, int]:
    return result.written, result.added, result.updated, result.unchanged


@contextmanager
def _committed_during_the_import(sql: str, params: list) -> Iterator[None]:
    """Runs `sql` in a second connection before the import and commits it while the import waits for its lock:
    the import's checks do not see it, its write does."""
    other = connection.copy()
    other.inc_thread_sharing()  # committed from the timer's thread
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
        cursor.execute(sql, params)
    commit = threading.Timer(DELAY, other.commit)
    commit.start()
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a broken test fails rather than waits for ever
        yield
    finally:
        commit.join()
        other.dec_thread_sharing()
        other.close()
    assert time.monotonic() - started >= DELAY * 0.9  # the import did wait for the other transaction


def _stored(student=None) -> list[tuple]:
    rows = TranscriptRow.objects.filter(student=student) if student else TranscriptRow.objects.all()
    return sorted(rows.values_list("student_id", "kind", "points"))


@dataclass
class Unchanged:
    """Scores already stored that each file of a test repeats as they are (none, or enough that the file is checked
    the way that keeps only the rows to write, `transcripts._kept`)."""

    text: str
    n: int

    def counts(self, written: int, added: int, updated: int, unchanged: int) -> tuple[int, int, int, int]:
        return written + self.n, added, updated, unchanged + self.n


@pytest.fixture(params=["every row checked", "only the rows to write kept"])
def unchanged(request, world, disciplines) -> Iterator[Unchanged]:
    """For the second param, six scores of the other student stored first; each way asserted to be the one taken."""
    kept = request.param != "every row checked"
    lines = [
        f"{world.other_student.iin},{code},2019-2,{kind},{50 + i}\n"
        for i, (code, kind) in enumerate((c, k) for c in ("ML3301", "OS2202") for k in ("current", "midterm", "final"))
    ]
    padding = Unchanged("".join(lines), len(lines)) if kept else Unchanged("", 0)
    if kept:
        assert _counts(_import(world, padding.text)) == (6, 6, 0, 0)
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        yield padding
    assert (transcripts.KEPT in statements) is kept


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("theirs", "counts"), [("40", (2, 1, 1, 0)), ("50", (2, 1, 0, 1))])
def test_a_score_another_import_inserted_after_the_checks_is_updated_once_not_added_twice(
    world, disciplines, theirs, counts, unchanged
):
    student, discipline = world.student, disciplines["basic"]
    insert = (
        f"INSERT INTO {TABLE} (student_id, discipline_id, period, kind, points, source) "  # noqa: S608 - the model's table
        "VALUES (%s, %s, '2019-2', 'current', %s, 'import')"
    )
    with _committed_during_the_import(insert, [student.pk, discipline.pk, theirs]):
        result = _import(
            world, f"{student.iin},DB2201,2019-2,current,50\n{student.iin},DB2201,2019-2,final,60\n{unchanged.text}"
        )
    assert _counts(result) == unchanged.counts(*counts)
    assert _stored(student) == [(student.pk, "current", Decimal("50")), (student.pk, "final", Decimal("60"))]


@pytest.mark.django_db(transaction=True)
def test_a_score_deleted_after_the_checks_is_added_again_and_counted_as_added(world, disciplines, unchanged):
    student = world.student
    assert _counts(_import(world, f"{student.iin},DB2201,2019-2,current,50\n")) == (1, 1, 0, 0)
    delete = f"DELETE FROM {TABLE} WHERE student_id = %s"  # noqa: S608 - the model's table
    with _committed_during_the_import(delete, [student.pk]):
        result = _import(world, f"{student.iin},DB2201,2019-2,current,70\n{unchanged.text}")
    assert _counts(result) == unchanged.counts(1, 1, 0, 0)
    assert _stored(student) == [(student.pk, "current", Decimal("70"))]


@pytest.mark.django_db(transaction=True)
def test_a_score_set_to_the_files_points_after_the_checks_is_counted_as_unchanged(world, disciplines, unchanged):
    student = world.student
    _import(world, f"{student.iin},DB2201,2019-2,current,50\n{student.iin},DB2201,2019-2,final,60\n")
    update = f"UPDATE {TABLE} SET points = 70 WHERE student_id = %s AND kind = 'current'"  # noqa: S608
    with _committed_during_the_import(update, [student.pk]):
        result = _import(
            world, f"{student.iin},DB2201,2019-2,current,70\n{student.iin},DB2201,2019-2,final,61\n{unchanged.text}"
        )
    assert _counts(result) == unchanged.counts(2, 0, 1, 1)
    assert _stored(student) == [(student.pk, "current", Decimal("70")), (student.pk, "final", Decimal("61"))]


@pytest.mark.django_db
def test_new_and_changed_scores_are_written_without_on_conflict_when_nothing_moved(world, disciplines):
    student, other = world.student, world.other_student
    _import(world, f"{student.iin},DB2201,2019-2,current,50\n{student.iin},DB2201,2019-2,final,60\n")
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        result = _import(
            world,
            f"{student.iin},DB2201,2019-2,current,50\n{student.iin},DB2201,2019-2,final,61\n"
            f"{other.iin},DB2201,2019-2,final,7\n",
        )
    assert _counts(result) == (3, 1, 1, 1)
    assert not [sql for sql in statements if "ON CONFLICT" in sql]


@pytest.mark.django_db
def test_a_new_terms_file_is_inserted_straight_from_the_join_and_a_score_twice_in_it_is_still_named(world, disciplines):
    student, other = world.student, world.other_student
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        result = _import(world, f"{student.iin},DB2201,2019-2,current,50\n{other.iin},DB2201,2019-2,final,7\n")
    assert _counts(result) == (2, 2, 0, 0)
    assert not [sql for sql in statements if sql.startswith("CREATE") and transcripts.CHECKED in sql]
    with translation.override("en"):
        twice = _import(world, f"{student.iin},DB2201,2020-1,current,50\n{student.iin},DB2201,2020-1,current,51\n")
    assert twice.errors == [(3, "the same score is also on row 2")] and not twice.written
    assert TranscriptRow.objects.count() == 2


@pytest.mark.django_db
def test_a_reimport_counts_its_checked_rows_once(world, disciplines):
    student = world.student
    _import(world, f"{student.iin},DB2201,2019-2,current,50\n{student.iin},DB2201,2019-2,final,60\n")
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        result = _import(world, f"{student.iin},DB2201,2019-2,current,50\n{student.iin},DB2201,2019-2,final,61\n")
    assert _counts(result) == (2, 0, 1, 1)
    assert len([sql for sql in statements if sql == transcripts.COUNTS]) == 1


@pytest.mark.django_db
def test_a_reimport_that_leaves_most_scores_as_they_are_keeps_only_the_rows_it_writes(world, disciplines):
    student, other = world.student, world.other_student
    scores = [f"{student.iin},{code},2019-2,{kind},50\n" for code in ("DB2201", "ML3301") for kind in ("current", "final")]
    _import(world, "".join(scores))
    corrected = "".join(scores[:3]) + f"{student.iin},ML3301,2019-2,final,51\n"
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        assert _counts(_import(world, corrected)) == (4, 0, 1, 3)
        assert _counts(_import(world, corrected + f"{other.iin},DB2201,2019-2,final,7\n")) == (5, 1, 0, 4)
    assert statements.count(transcripts.KEPT) == 2
    every_row = f"CREATE TEMPORARY TABLE IF NOT EXISTS {transcripts.CHECKED}"
    assert not [sql for sql in statements if "ON CONFLICT" in sql or sql.startswith(every_row)]
    assert _stored(student)[-1] == (student.pk, "final", Decimal("51"))
    assert _stored(other) == [(other.pk, "final", Decimal("7"))]

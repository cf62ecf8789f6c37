"""PostgreSQL's import (COPY into a staging table, set-based checks, one INSERT … ON CONFLICT) gives the same result,
the same rows and the same errors (row, what is wrong) as the row-by-row path the SQLite fallback keeps."""

import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from attestation.core.jobs import job_progress
from attestation.institutions.models import Student
from exams.applications import transcripts
from exams.applications.models import TranscriptImport, TranscriptRow

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.requires_postgres(reason="the COPY path and the second connection for progress are PostgreSQL's"),
]
HEADER = "IIN,Student number,Discipline code,Period,Kind,Points"


class _Undo(Exception):
    pass


def _stored() -> list[tuple]:
    return sorted(TranscriptRow.objects.values_list("student_id", "discipline_id", "period", "kind", "points", "source"))


def _python_path(data: bytes, world, kind: str = "csv"):
    """The fallback's result and the rows it would leave, then undone."""
    rows = transcripts.read_table(io.BytesIO(data), kind)
    try:
        with transaction.atomic():
            result = transcripts.python_import(actor=None, institution=world.institution, rows=rows)
            stored = _stored()
            raise _Undo
    except _Undo:
        pass
    return result, stored


def both(world, text: str, *, encoding: str = "utf-8", language: str = "en"):
    """The two paths on the same file: asserts they agree and returns PostgreSQL's result."""
    data = text.encode(encoding)
    with translation.override(language):
        expected, expected_rows = _python_path(data, world)
        result = transcripts.transcripts_import_file(
            actor=None, institution=world.institution, upload=io.BytesIO(data), kind="csv"
        )
    assert (result.errors, result.error_count, result.written, result.added, result.updated, result.unchanged) == (
        expected.errors,
        expected.error_count,
        expected.written,
        expected.added,
        expected.updated,
        expected.unchanged,
    )
    assert _stored() == expected_rows
    return result


@pytest.fixture
def lines(world, disciplines):
    def make(*rows: str) -> str:
        return "\n".join([HEADER, *rows]) + "\n"

    world.student.record_number = "S-19-001"
    world.student.save()
    return make


def test_a_valid_file_is_written_the_same_by_both_paths(world, disciplines, lines):
    iin, other = world.student.iin, world.other_student.iin
    result = both(
        world,
        lines(
            f"{iin},,DB2201,2019-2,current,81.5",
            f" {iin} ,, DB2201 , 2019-s ,  Midterm ,77",
            f'{other},,ML3301,2019-2,рубежный,"60,25"',
            f"{other}.0,,HIST1101,2019-1,ИТОГОВЫЙ,100",
            ",S-19-001.0,OS2202,2019-1,final,0",
        ),
    )
    assert result.written == 5
    assert TranscriptRow.objects.get(student=world.other_student, discipline=disciplines["profiling"]).points == (
        Decimal("60.25")
    )


def test_a_second_file_counts_what_it_added_updated_and_left_unchanged_alike(world, disciplines, lines):
    iin, other = world.student.iin, world.other_student.iin
    first = both(world, lines(f"{iin},,DB2201,2019-2,current,81.5", f"{iin},,DB2201,2019-2,final,60"))
    assert (first.written, first.added, first.updated, first.unchanged) == (2, 2, 0, 0)
    second = lines(
        f"{iin},,DB2201,2019-2,current,81.50", f"{iin},,DB2201,2019-2,final,61", f"{other},,DB2201,2019-2,final,7"
    )
    result = both(world, second)
    assert (result.written, result.added, result.updated, result.unchanged) == (3, 1, 1, 1)
    assert (both(world, second).added, both(world, second).unchanged) == (0, 3)


def test_an_identical_file_neither_rewrites_nor_locks_the_stored_scores(world, disciplines, lines):
    text = lines(f"{world.student.iin},,DB2201,2019-2,current,81.5", f"{world.student.iin},,DB2201,2019-2,final,60")
    both(world, text)
    versions = "SELECT ctid::text, xmin::text, xmax::text FROM applications_transcriptrow ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute(versions)
        before = cursor.fetchall()
        assert both(world, text).unchanged == 2
        cursor.execute(versions)
        assert cursor.fetchall() == before  # no new version, and no lock (a lock sets xmax)


def test_a_score_twice_is_named_also_when_the_stored_score_equals_one_of_them(world, disciplines, lines):
    iin = world.student.iin
    both(world, lines(f"{iin},,DB2201,2019-2,current,50"))
    for twice in ("50", "51"):
        result = both(world, lines(f"{iin},,DB2201,2019-2,current,50", f"{iin},,DB2201,2019-2,current,{twice}"))
        assert result.errors == [(3, "the same score is also on row 2")] and not result.written
    assert TranscriptRow.objects.get().points == Decimal("50")


@pytest.mark.parametrize("twice", ["50", "51"])
def test_a_score_twice_is_named_also_in_a_file_that_leaves_most_scores_as_they_are(world, disciplines, lines, twice):
    iin = world.student.iin
    stored = [f"{iin},,DB2201,2019-2,{kind},50" for kind in ("current", "midterm", "final")]
    both(world, lines(*stored))
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        result = both(world, lines(stored[0], f"{iin},,DB2201,2019-2,current,{twice}", *stored[1:]))
    assert transcripts.KEPT in statements  # three of the four rows unchanged: only the rows to write were kept
    assert result.errors == [(3, "the same score is also on row 2")] and not result.written
    assert {row[-2] for row in _stored()} == {Decimal("50")}


def test_every_kind_of_bad_row_is_named_alike(world, disciplines, lines):
    iin = world.student.iin
    result = both(
        world,
        lines(
            f"{iin},,DB2201,2019-2,current,81.5",
            "000000000000,,DB2201,2019-2,current,70",
            f"{iin},,NOPE101,2019-9,oral,101",
            f"{iin},,DB2201,2019-2,final,x",
            "",
            f"{iin},,DB2201,2019-2,current,81.5",
            f"{iin},,DB2201,2019-2,current,40",
            ",,,,,",
            f"{iin},,DB2201",
            ",NO-SUCH,DB2201,2019-2,final,1,extra,cells",
            "   ",
            f"{iin},,DB2201,2019-2,final,99.999",
            f"{iin},,DB2201,2019-2,final,-1",
        ),
    )
    assert result.error_count == 10
    assert [row for row, _problem in result.errors] == [3, 4, 5, 7, 8, 10, 11, 12, 13, 14]
    assert result.errors[3] == (7, "the same score is also on row 2")
    assert result.errors[4] == (8, "the same score is also on row 7")
    assert TranscriptRow.objects.count() == 0


def test_the_errors_are_said_in_the_users_language(world, disciplines, lines):
    result = both(world, lines(f"{world.student.iin},,NOPE,2019-2,current,50"), language="kk")
    assert result.error_count == 1


def test_a_quoted_semicolon_file_in_windows_1251_is_read_alike(world, disciplines):
    text = (
        '"ИИН";"Код дисциплины";"Период";"Вид контроля";"Баллы"\r\n'
        f'"{world.student.iin}";"DB2201";"2019-2";"Текущий";"55,5"\r\n'
        f'"{world.other_student.iin}";"DB2201";"2019-2";"итоговый";"7"\r\n'
    )
    assert both(world, text, encoding="cp1251").written == 2


def test_a_tab_separated_file_with_a_header_lacking_columns_is_refused_alike(world, disciplines):
    result = both(world, f"IIN\tPoints\n{world.student.iin}\t50\n")
    assert result.errors[0][0] == 1 and result.written == 0


def test_an_empty_file_and_a_header_alone_are_refused_alike(world, disciplines):
    assert both(world, "").error_count == 1
    assert both(world, HEADER + "\n\n,,,\n").error_count == 1
    assert both(world, HEADER + "\n,,,,,\n,,,,,\n").error_count == 1  # blank rows, copied cell by cell


def test_a_line_copy_would_take_for_the_end_of_its_data_is_read_alike(world, disciplines, lines):
    iin = world.student.iin
    result = both(world, lines(f"{iin},,DB2201,2019-2,current,50", "\\.", f"{iin},,DB2201,2019-2,final,60"))
    assert [row for row, _problem in result.errors] == [3]  # and the row after it was read too


def test_the_limit_counts_the_rows_that_hold_a_cell_alike(world, disciplines, lines, monkeypatch):
    monkeypatch.setattr(transcripts, "MAX_ROWS", 2)
    iin = world.student.iin
    three = [f"{iin},,DB2201,2019-2,{kind},50" for kind in ("current", "midterm", "final")]
    assert both(world, lines(*three)).errors == [(1, "At most 2 rows per file.")]
    assert both(world, lines(three[0], ",,,,,", ",,,,,", three[1])).written == 2  # four lines, two of them blank


def test_the_newest_student_with_a_student_number_wins_on_both_paths(world, disciplines, lines):
    Student.objects.filter(pk=world.other_student.pk).update(record_number="S-19-001")
    both(world, lines(",S-19-001,DB2201,2019-2,current,50"))
    newest = max(world.student.pk, world.other_student.pk)
    assert TranscriptRow.objects.get().student_id == newest


def test_a_reimport_updates_changed_scores_and_leaves_the_rest(world, disciplines, lines):
    iin = world.student.iin
    both(world, lines(f"{iin},,DB2201,2019-2,current,50", f"{iin},,DB2201,2019-2,final,60"))
    TranscriptRow.objects.filter(kind="final").update(source=TranscriptRow.Source.SUMMATIVE)
    both(world, lines(f"{iin},,DB2201,2019-2,current,51", f"{iin},,DB2201,2019-2,final,60"))
    assert dict(TranscriptRow.objects.values_list("kind", "points")) == {"current": 51, "final": 60}
    assert set(TranscriptRow.objects.values_list("source", flat=True)) == {TranscriptRow.Source.IMPORT}


def test_a_file_with_a_score_twice_writes_nothing_even_when_every_row_resolves(world, disciplines, lines):
    iin = world.student.iin
    result = both(world, lines(f"{iin},,DB2201,2019-2,current,50", f"{iin},,DB2201,2019-2,CURRENT,51"))
    assert result.errors == [(3, "the same score is also on row 2")]
    assert not TranscriptRow.objects.exists()


def test_rows_already_read_from_a_sheet_go_the_same_way(world, disciplines):
    rows = [
        ["IIN", "Discipline code", "Period", "Kind", "Points"],
        [world.student.iin, "DB2201", "2019-2", "current", "81.5"],
        [world.student.iin, "ML3301", "2019-2", "current", "bad"],
    ]
    result = transcripts.transcripts_import(actor=None, institution=world.institution, rows=rows)
    try:
        with transaction.atomic():
            expected = transcripts.python_import(actor=None, institution=world.institution, rows=rows)
            raise _Undo
    except _Undo:
        pass
    assert (result.errors, result.error_count) == (expected.errors, expected.error_count) and result.error_count == 1


@pytest.mark.django_db(transaction=True)
def test_progress_written_inside_the_import_transaction_is_seen_before_it_commits(world, inst_admin):
    job = TranscriptImport.objects.create(
        institution=world.institution,
        file="x.csv",
        kind="csv",
        state="running",
        requested_by=inst_admin,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        job_progress(TranscriptImport, job.pk, done=300, total=1000, seen_now=True)
        other = connection.copy()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done, total FROM applications_transcriptimport WHERE id = %s", [job.pk])
                seen = cursor.fetchone()
        finally:
            other.close()
        transaction.set_rollback(True)
    assert seen == (300, 1000)


@pytest.fixture
def split_by_the_server(monkeypatch) -> list[str]:
    """The files `_stage_lines` staged (the others went cell by cell)."""
    staged: list[str] = []
    lines = transcripts._stage_lines

    def spy(cursor, result, text, delimiter):
        staged.append(text)
        return lines(cursor, result, text, delimiter)

    monkeypatch.setattr(transcripts, "_stage_lines", spy)
    return staged


def test_a_rectangular_file_is_copied_cell_by_cell_and_read_alike(world, disciplines, split_by_the_server):
    iin = world.student.iin
    text = (
        "IIN;Discipline code;Period;Kind;Points\r\n"
        f"{iin};DB2201;2019-2;current;81,5\r\n"
        ";;;;\r\n"
        "  ;;;;\r\n"
        f"{iin};NOPE;2019-2;current;50\r\n"
        f" {iin} ; DB2201 ;2019-s; Final ;7\r\n"
        "\r\n\r\n"
    )
    result = both(world, text)
    assert split_by_the_server == []
    assert [row for row, _problem in result.errors] == [4, 5]  # row 3 is blank, row 4 is not: it holds "  "
    assert both(world, text.replace(f"{iin};NOPE;2019-2;current;50\r\n", "").replace("  ;;;;\r\n", "")).written == 2


def test_a_file_with_a_short_row_a_long_row_or_a_blank_line_is_split_by_the_server_and_read_alike(
    world, disciplines, lines, split_by_the_server
):
    iin = world.student.iin
    ragged = (
        lines(f"{iin},,DB2201,2019-2,current,50", "", f"{iin},,ML3301,2019-2,final,60"),
        lines(f"{iin},,DB2201"),
        lines(f"{iin},,DB2201,2019-2,current,50,extra"),
    )
    for text in ragged:
        both(world, text)
    assert TranscriptRow.objects.count() == 2
    assert split_by_the_server == list(ragged)  # COPY refused each (undone), and the server split its lines


def test_two_imports_in_one_transaction_leave_the_foreign_keys_checked_at_commit_again(world, disciplines, lines):
    iin = world.student.iin
    for points in (50, 51):
        result = transcripts.transcripts_import_file(
            actor=None,
            institution=world.institution,
            upload=io.BytesIO(lines(f"{iin},,DB2201,2019-2,current,{points}").encode()),
            kind="csv",
        )
        assert result.written == 1
    assert TranscriptRow.objects.get().points == 51
    with transaction.atomic():  # a score of a student who does not exist is refused at the commit, not at once
        TranscriptRow.objects.create(
            student_id=world.student.pk + 10_000, discipline=disciplines["basic"], period="2019-2", kind="final", points=1
        )
        transaction.set_rollback(True)


def test_the_progress_moves_through_staging_checks_and_write_on_every_path(world, disciplines, lines):
    iin = world.student.iin
    rectangular = lines(f"{iin},,DB2201,2019-2,current,50")
    quoted = lines(f'{iin},,DB2201,2019-2,current,"50,5"')
    ragged = lines(f"{iin},,DB2201,2019-2,current,52", "")
    for text in (rectangular, quoted, ragged):
        shares: list[float] = []
        transcripts.transcripts_import_file(
            actor=None, institution=world.institution, upload=io.BytesIO(text.encode()), kind="csv", progress=shares.append
        )
        assert shares == sorted(shares) and shares[-3:] == [0.2, 0.5, 0.95], text
    assert TranscriptRow.objects.get().points == 52

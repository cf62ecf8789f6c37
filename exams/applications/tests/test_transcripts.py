import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from attestation.institutions.student_import import read_rows
from exams.applications import transcripts
from exams.applications.models import TranscriptImport, TranscriptRow

pytestmark = pytest.mark.django_db
HEADER = ["IIN", "Student number", "Discipline code", "Period", "Kind", "Points"]


def rows_for(world, disciplines, n=3):
    body = [
        [world.student.iin, "", disciplines["basic"].code, "2019-2", "current", "81.5"],
        [world.student.iin, "", disciplines["basic"].code, "2019-2", "midterm", "77"],
        [world.other_student.iin, "", disciplines["profiling"].code, "2019-2", "рубежный", "60,25"],
    ]
    return [HEADER, *body[:n]]


def test_a_valid_file_is_written_whole(world, disciplines, inst_admin):
    result = transcripts.transcripts_import(
        actor=inst_admin, institution=world.institution, rows=rows_for(world, disciplines)
    )
    assert result.ok and result.written == 3
    assert TranscriptRow.objects.get(student=world.other_student).points == Decimal("60.25")


def test_one_bad_row_rejects_the_whole_file_and_names_that_row(world, disciplines, inst_admin):
    rows = rows_for(world, disciplines)
    rows.insert(3, [world.student.iin, "", "NOPE101", "2019-2", "final", "101"])
    result = transcripts.transcripts_import(actor=inst_admin, institution=world.institution, rows=rows)
    assert not result.ok and result.error_count == 1
    ((row, problem),) = result.errors
    assert row == 4 and "NOPE101" in problem and "101" in problem
    assert TranscriptRow.objects.count() == 0


def test_a_score_twice_in_the_file_is_named(world, disciplines, inst_admin):
    rows = rows_for(world, disciplines)
    rows.append(list(rows[1]))
    with translation.override("en"):
        result = transcripts.transcripts_import(actor=inst_admin, institution=world.institution, rows=rows)
    assert result.errors == [(5, "the same score is also on row 2")]


def test_student_found_by_record_number_and_reimport_updates(world, disciplines, inst_admin):
    world.student.record_number = "S-19-001"
    world.student.save()
    rows = [HEADER, ["", "S-19-001", disciplines["basic"].code, "2019-2", "final", "70"]]
    transcripts.transcripts_import(actor=inst_admin, institution=world.institution, rows=rows)
    rows[1][5] = "72"
    transcripts.transcripts_import(actor=inst_admin, institution=world.institution, rows=rows)
    assert TranscriptRow.objects.get().points == Decimal("72")


def test_an_xlsx_file_with_numbers_for_iin_imports(world, disciplines, inst_admin):
    book = Workbook()
    sheet = book.active
    for row in rows_for(world, disciplines):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    rows = read_rows(buffer, "xlsx")
    assert transcripts.transcripts_import(actor=inst_admin, institution=world.institution, rows=rows).written == 3


def test_a_large_file_runs_in_the_worker_with_progress(
    world, disciplines, inst_admin, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    text = "\n".join(",".join(r) for r in rows_for(world, disciplines)).encode()
    job = transcripts.job_create(
        actor=inst_admin, institution=world.institution, upload=SimpleUploadedFile("scores.csv", text), kind="csv"
    )
    transcripts.job_run(job_pk=job.pk)
    transcripts.job_run(job_pk=job.pk)  # a second delivery finds it claimed
    job.refresh_from_db()
    assert (job.state, job.written, job.percent) == (TranscriptImport.State.DONE, 3, 100)
    assert (job.added, job.updated, job.unchanged) == (3, 0, 0)
    assert TranscriptRow.objects.count() == 3


def test_a_rejected_file_in_the_worker_keeps_the_rows_named(world, disciplines, inst_admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    rows = rows_for(world, disciplines) + [["000000000000", "", "DB2201", "2019-9", "oral", "x"]]
    text = "\n".join(",".join(r) for r in rows).encode()
    job = transcripts.job_create(
        actor=inst_admin, institution=world.institution, upload=SimpleUploadedFile("scores.csv", text), kind="csv"
    )
    transcripts.job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert job.state == TranscriptImport.State.FAILED and job.errors[0][0] == 5
    assert TranscriptRow.objects.count() == 0


def test_an_unreadable_file_in_the_worker_fails_the_job_with_the_reason(world, inst_admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = b"\x98\xff;\x98\n"  # neither UTF-8 nor Windows-1251 (0x98 is no character of it)
    job = transcripts.job_create(
        actor=inst_admin, institution=world.institution, upload=SimpleUploadedFile("scores.csv", data), kind="csv"
    )
    transcripts.job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert job.state == TranscriptImport.State.FAILED
    assert len(job.errors) == 1 and job.errors[0][0] == 1 and "Windows-1251" in job.errors[0][1]


def test_a_job_whose_file_is_gone_fails_and_the_worker_logs_why(world, disciplines, inst_admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    job = transcripts.job_create(
        actor=inst_admin, institution=world.institution, upload=SimpleUploadedFile("scores.csv", b"IIN\n"), kind="csv"
    )
    job.file.storage.delete(job.file.name)
    with pytest.raises(FileNotFoundError):
        transcripts.job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert job.state == TranscriptImport.State.FAILED and job.errors[0][0] == 1 and job.written == 0


def test_a_quoted_header_cell_with_commas_does_not_split_a_semicolon_file_at_its_commas(world, disciplines, inst_admin):
    body = [";".join(r) for r in rows_for(world, disciplines)[1:]]
    text = "\r\n".join([";".join(HEADER) + ';"Note (teacher, group, room, hall, floor, desk, seat, etc.)"', *body]) + "\r\n"
    result = transcripts.transcripts_import_file(
        actor=inst_admin, institution=world.institution, upload=io.BytesIO(text.encode()), kind="csv"
    )
    assert result.errors == [] and result.written == 3


def test_a_csv_turning_binary_after_its_first_lines_is_refused_as_not_a_table(world, disciplines, inst_admin):
    # The upload check reads the first kilobyte; the import reads the whole file and says what it is.
    text = "\r\n".join(",".join(r) for r in rows_for(world, disciplines) * 40).encode()
    with translation.override("en"), pytest.raises(ValidationError, match="not a CSV table: it holds binary data"):
        transcripts.transcripts_import_file(
            actor=inst_admin, institution=world.institution, upload=io.BytesIO(text + b"\x00PK\x03\x04"), kind="csv"
        )
    assert not TranscriptRow.objects.exists()

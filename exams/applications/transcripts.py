"""Import of current, midterm and final scores from a registrar's XLSX or CSV export.

Every row is validated (the student by IIN or student number, the discipline by code, the period, the kind,
the points); if any row is wrong nothing is written and each bad row is named. A valid file is written in
one transaction (COPY into a temporary table, then one INSERT … ON CONFLICT UPDATE), so a whole university
(≥ 100,000 rows) takes seconds.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.jobs import job_claim, job_fail, job_progress, job_queue
from attestation.institutions.models import Discipline, Institution, Student
from attestation.institutions.student_import import read_rows
from exams.applications.models import TranscriptImport, TranscriptRow
from exams.applications.periods import PERIOD_RE

COLUMNS = {
    "iin": ("iin", "жсн", "иин"),
    "record_number": ("student number", "record number", "студенттік нөмір", "номер студента"),
    "discipline": ("discipline code", "discipline", "пән коды", "пән", "код дисциплины", "дисциплина"),
    "period": ("period", "term", "кезең", "семестр", "период"),
    "kind": ("kind", "control", "бақылау түрі", "вид контроля"),
    "points": ("points", "score", "балл", "баллы"),
}
REQUIRED = ("discipline", "period", "kind", "points")
KINDS = {
    "current": TranscriptRow.Kind.CURRENT,
    "ағымдағы": TranscriptRow.Kind.CURRENT,
    "текущий": TranscriptRow.Kind.CURRENT,
    "midterm": TranscriptRow.Kind.MIDTERM,
    "межелік": TranscriptRow.Kind.MIDTERM,
    "рубежный": TranscriptRow.Kind.MIDTERM,
    "final": TranscriptRow.Kind.FINAL,
    "қорытынды": TranscriptRow.Kind.FINAL,
    "итоговый": TranscriptRow.Kind.FINAL,
}
POINTS_RE = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")
MAX_ROWS = 300_000
MAX_ERRORS_SHOWN = 200
BATCH = 5000
Progress = Callable[[int], None]


@dataclass
class ImportResult:
    written: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add(self, row: int, problem: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append((row, problem))


def read_table(upload, kind: str) -> list[list[str]]:
    """The file's rows (header first); CSV's delimiter is the one the header line uses most."""
    if kind == "xlsx":
        return read_rows(upload, kind)
    raw = upload.read()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The CSV file is neither UTF-8 nor Windows-1251 text."))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    lowered = [h.strip().lower() for h in header]
    index: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        found = next((alias for alias in (name, *aliases) if alias in lowered), None)
        if found is not None:
            index[name] = lowered.index(found)
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in index]
    if "iin" not in index and "record_number" not in index:
        missing.append(f"{COLUMNS['iin'][0]} / {COLUMNS['record_number'][0]}")
    return index, ([_("The header row lacks the columns: %(cols)s.") % {"cols": ", ".join(missing)}] if missing else [])


class _Lookups:
    """Everything a row refers to, loaded once: three queries whatever the file's size."""

    def __init__(self, institution: Institution):
        students = Student.objects.filter(institution=institution).values_list("pk", "iin", "record_number")
        self.by_iin, self.by_number = {}, {}
        for pk, iin, number in students:
            self.by_iin[iin] = pk
            if number:
                self.by_number[number] = pk
        self.disciplines = dict(Discipline.objects.filter(institution=institution).values_list("code", "pk"))


FIELDS = ("iin", "record_number", "discipline", "period", "kind", "points")


def _cells(row: list[str], where: tuple[int, ...]) -> list[str]:
    width = len(row)
    return [row[i].strip() if 0 <= i < width else "" for i in where]


def _parse_row(row: list[str], where: tuple[int, ...], lookups: _Lookups) -> tuple[tuple | None, list[str]]:
    """One row checked against the loaded lookups; the problems are said in the user's language."""
    iin, number, code, period, kind_text, points = _cells(row, where)
    if iin.endswith(".0"):
        iin = iin[:-2]
    if len(iin) == 11 and iin.isdigit():
        iin = "0" + iin  # a spreadsheet dropped the leading zero
    student = lookups.by_iin.get(iin) if iin else lookups.by_number.get(number.removesuffix(".0"))
    discipline = lookups.disciplines.get(code)
    period = period.upper()
    kind = KINDS.get(kind_text.lower())
    points = points.replace(",", ".")
    if student and discipline and kind and PERIOD_RE.match(period) and POINTS_RE.match(points) and float(points) <= 100:
        return (student, discipline, period, kind, points), []
    return None, _row_problems(student, discipline, kind, iin or number, code, period, kind_text, points)


def _row_problems(student, discipline, kind, who, code, period, kind_text, points) -> list[str]:
    problems = []
    if student is None:
        problems.append(_("no student %(who)s in this institution") % {"who": who or "—"})
    if discipline is None:
        problems.append(_("no discipline with the code %(code)s") % {"code": code or "—"})
    if not PERIOD_RE.match(period):
        problems.append(_("not a period: %(period)s (2019-1, 2019-2, 2019-S)") % {"period": period or "—"})
    if kind is None:
        problems.append(_("unknown kind of control: %(kind)s") % {"kind": kind_text or "—"})
    if not POINTS_RE.match(points) or float(points) > 100:
        problems.append(_("points must be a number from 0 to 100: %(value)s") % {"value": points or "—"})
    return problems


def transcripts_validate(
    *, institution: Institution, rows: list[list[str]], result: ImportResult, progress: Progress | None = None
) -> list[tuple]:
    """The parsed rows, or an empty list with `result` naming every bad row (by its number in the file)."""
    body = sum(1 for r in rows[1:] if any(r))
    if not rows or not body:
        result.add(1, _("The file has no score rows."))
        return []
    if body > MAX_ROWS:
        result.add(1, _("At most %(n)s rows per file.") % {"n": MAX_ROWS})
        return []
    index, header_problems = _header_map(rows[0])
    for problem in header_problems:
        result.add(1, problem)
    if header_problems:
        return []
    lookups, parsed, seen = _Lookups(institution), [], {}
    where = tuple(index.get(name, -1) for name in FIELDS)
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values, problems = _parse_row(row, where, lookups)
        if values is not None:
            key = values[:4]
            if key in seen:
                problems = [_("the same score is also on row %(row)s") % {"row": seen[key]}]
            seen[key] = number
        if problems:
            result.add(number, "; ".join(problems))
        elif not result.error_count:
            parsed.append(values)
        if progress and number % 10000 == 0:
            progress(number)
    return [] if result.error_count else parsed


def _copy_upsert(parsed: list[tuple]) -> None:
    """PostgreSQL: COPY the checked rows into a temporary table, then one INSERT … ON CONFLICT DO UPDATE."""
    table = TranscriptRow._meta.db_table
    buffer = io.StringIO()
    for s, d, p, k, pts in parsed:
        buffer.write(f"{s}\t{d}\t{p}\t{k}\t{pts}\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE transcript_incoming (student_id bigint, discipline_id bigint, "
            "period varchar(10), kind varchar(10), points numeric(5,2)) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert("COPY transcript_incoming FROM STDIN", buffer)
        cursor.execute(
            f"INSERT INTO {table} (student_id, discipline_id, period, kind, points, source) "  # noqa: S608 - own names
            "SELECT student_id, discipline_id, period, kind, points, %s FROM transcript_incoming "
            "ON CONFLICT (student_id, discipline_id, period, kind) "
            "DO UPDATE SET points = EXCLUDED.points, source = EXCLUDED.source",
            [TranscriptRow.Source.IMPORT],
        )
        cursor.execute("DROP TABLE transcript_incoming")


def _bulk_upsert(parsed: list[tuple], progress: Progress | None) -> None:
    for start in range(0, len(parsed), BATCH):
        TranscriptRow.objects.bulk_create(
            [
                TranscriptRow(
                    student_id=s, discipline_id=d, period=p, kind=k, points=pts, source=TranscriptRow.Source.IMPORT
                )
                for s, d, p, k, pts in parsed[start : start + BATCH]
            ],
            update_conflicts=True,
            unique_fields=["student", "discipline", "period", "kind"],
            update_fields=["points", "source"],
        )
        if progress:
            progress(start + BATCH)


@transaction.atomic
def transcripts_write(*, actor, institution: Institution, parsed: list[tuple], progress: Progress | None = None) -> int:
    """Creates or updates every checked row in one transaction: COPY on PostgreSQL, batched upserts elsewhere."""
    if connection.vendor == "postgresql":
        _copy_upsert(parsed)
    else:
        _bulk_upsert(parsed, progress)
    if progress:
        progress(len(parsed))
    audit_record(actor=actor, verb="transcripts.import", obj=institution, after={"rows": len(parsed)})
    return len(parsed)


def transcripts_import(
    *, actor, institution: Institution, rows: list[list[str]], progress: Progress | None = None
) -> ImportResult:
    """Validates every row, then writes all of them, or nothing."""
    result = ImportResult()
    parsed = transcripts_validate(institution=institution, rows=rows, result=result, progress=progress)
    if result.ok:
        result.written = transcripts_write(
            actor=actor,
            institution=institution,
            parsed=parsed,
            progress=progress and (lambda n: progress(len(rows) + min(n, len(parsed)))),
        )
    return result


def job_create(*, actor, institution: Institution, upload, kind: str) -> TranscriptImport:
    """Stores the file and queues its import in the worker; the page polls the job.

    The row is the truth: with the broker down the request still succeeds, and the job's resend deadline sends it
    again on a later sweep (job_run claims a job once, so a second message does nothing).
    """
    job = TranscriptImport.objects.create(
        institution=institution, requested_by=actor, file=upload, kind=kind, created_at=timezone.now()
    )
    audit_record(actor=actor, verb="transcripts.queue", obj=job, after={"file": upload.name})
    job_queue(job)
    return job


def job_run(*, job_pk: int) -> None:
    """Runs a queued import once; a second or late run finds it claimed."""
    if not job_claim(TranscriptImport, job_pk):
        return
    job = TranscriptImport.objects.select_related("institution", "requested_by").get(pk=job_pk)
    try:
        with job.file.open("rb") as handle:
            rows = read_table(handle, job.kind)
        job_progress(TranscriptImport, job_pk, total=2 * len(rows))
        result = transcripts_import(
            actor=job.requested_by,
            institution=job.institution,
            rows=rows,
            progress=lambda n: job_progress(TranscriptImport, job_pk, done=n),
        )
    except ValidationError as exc:
        job_fail(TranscriptImport, job_pk, errors=[[1, m] for m in exc.messages])
        return
    except Exception as exc:
        job_fail(TranscriptImport, job_pk, errors=[[1, str(exc)]])
        raise
    state = TranscriptImport.State.DONE if result.ok else TranscriptImport.State.FAILED
    TranscriptImport.objects.filter(pk=job_pk).update(
        state=state, written=result.written, done=2 * len(rows), errors=[list(e) for e in result.errors]
    )

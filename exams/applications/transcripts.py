"""Import of current, midterm and final scores from a registrar's XLSX or CSV export.

Every row is validated (the student by IIN or student number, the discipline by code, the period, the kind,
the points); if any row is wrong nothing is written and each bad row is named. Everything happens in one
transaction: nothing is half-saved.

Two paths give the same results and the same errors (row, what is wrong) — `test_transcripts_sql.py` holds them
side by side:

* PostgreSQL (`_sql_import`): the file goes into a temporary staging table with COPY — a plain CSV file (no
  quoting) as it is: cell by cell when every line has the header's number of cells (`_stage_direct`), else line
  by line, split by the server (`_stage_lines`); anything else parsed here first. The values are then
  checked set-based: each *distinct* cell value (a few thousand IINs, twenty codes, three kinds…) is read once and
  judged by the same Python rules as the other path, the verdicts go back with one COPY (the students found once
  per distinct IIN), and one query joins them to the rows and to the score each row would replace (a new term's file
  whose every value resolved goes from that join straight into the INSERT; a file whose first rows are mostly
  unchanged keeps only the rows to write, counted in the same pass); a second score
  for the same student, discipline, period and kind is found by the write itself (the INSERT … ON CONFLICT cannot
  touch a row twice; when one of the two is unchanged, by the stored row both name) or, in a rejected file, by a
  window over the rows. A valid file writes only the new and changed scores (an unchanged score is neither
  rewritten nor locked): the new ones by a plain INSERT, the changed ones by an UPDATE of the stored rows the
  checks found, and when another transaction stored, deleted or changed one of them since (or the new rows hold a
  score twice) that is undone and one INSERT … ON CONFLICT DO UPDATE writes them all; either way the counts are
  exact (the result says N added, M updated, K unchanged). Its two foreign keys
  (student, discipline): when the role may set `session_replication_role` and the score table has no trigger or
  rule but theirs, checked set-based — the distinct students and disciplines locked FOR KEY SHARE as the keys'
  triggers would lock them, every one found, a row whose student or discipline was deleted meanwhile named like an
  unknown one — and the write then runs with the row-by-row triggers off (`transcript_keys.py`); otherwise checked
  by those triggers at the end of each statement rather than at the commit, so the progress covers them
  (bench/transcripts_bench.py times it against PostgreSQL's own COPY of the file; where the time goes:
  docs/performance.md). Progress: 0.2 staged, 0.5 checked, 0.95 written.
* SQLite (the embedded fallback): every row parsed and checked here, the new and changed ones written in batched
  upserts, counted alike.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.csv_table import CsvTable, csv_rows, csv_table
from attestation.core.jobs import JobRejected, job_progress, job_queue, job_run_once
from attestation.institutions.models import Discipline, Institution, Student
from attestation.institutions.student_import import read_rows
from exams.applications.models import TranscriptImport, TranscriptRow
from exams.applications.periods import PERIOD_RE
from exams.applications.transcript_keys import keys_lock, keys_missing, replica_allowed

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
Progress = Callable[[float], None]  # the share of the import done, 0 to 1
PROGRESS_STEPS = 1000  # a job's total: its page shows done / total


@dataclass
class ImportResult:
    written: int = 0  # the file's scores, all now stored: added + updated + unchanged
    added: int = 0  # scores that were not there
    updated: int = 0  # scores the file changed
    unchanged: int = 0  # scores already stored with the file's points (left alone: not rewritten, not locked)
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add(self, row: int, problem: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append((row, problem))


@dataclass
class Checked:
    """The checked rows' counts (PostgreSQL): all, wrong, new, changed; `twice`: None when CHECKED holds every row
    (TWICE finds a score twice among the unchanged ones), else whether `_kept`, which keeps only the rows to write,
    found one."""

    total: int
    bad: int
    fresh: int
    changed: int
    twice: bool | None = None


def read_table(upload, kind: str) -> list[list[str]]:
    """The file's rows (header first), a CSV file's as `attestation/core/csv_table.py` reads every import's."""
    if kind == "xlsx":
        return read_rows(upload, kind)
    return csv_rows(upload.read())


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
        students = Student.objects.filter(institution=institution).order_by("pk").values_list("pk", "iin", "record_number")
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


def _iin(iin: str) -> str:
    if iin.endswith(".0"):
        iin = iin[:-2]
    if len(iin) == 11 and iin.isdigit():
        iin = "0" + iin  # a spreadsheet dropped the leading zero
    return iin


def _period(period: str) -> str | None:
    period = period.strip().upper()
    return period if PERIOD_RE.match(period) else None


def _kind(kind_text: str) -> str | None:
    return KINDS.get(kind_text.strip().lower())


def _points(points: str) -> str | None:
    points = points.strip().replace(",", ".")
    return points if POINTS_RE.match(points) and float(points) <= 100 else None


def _parse_row(row: list[str], where: tuple[int, ...], lookups: _Lookups) -> tuple[tuple | None, list[str]]:
    """One row checked against the loaded lookups; the problems are said in the user's language."""
    iin, number, code, period, kind_text, points = _cells(row, where)
    iin = _iin(iin)
    student = lookups.by_iin.get(iin) if iin else lookups.by_number.get(number.removesuffix(".0"))
    discipline = lookups.disciplines.get(code)
    kind = _kind(kind_text)
    if student and discipline and kind and _period(period) and _points(points):
        return (student, discipline, period.upper(), kind, points.replace(",", ".")), []
    return None, _problems(student, discipline, kind, iin or number, code, period, kind_text, points)


def _problems(student, discipline, kind, who, code, period, kind_text, points) -> list[str]:
    """The problems of one row from its stripped cells and what they resolved to (both paths say them here)."""
    return _row_problems(student, discipline, kind, who, code, period.upper(), kind_text, points.replace(",", "."))


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
            progress(number / len(rows) / 2)
    return [] if result.error_count else parsed


# ---- PostgreSQL: staging table, set-based checks, one INSERT … ON CONFLICT -------------------------------------

STAGE = "transcript_stage"  # n (the row's number in the file) and the six cells as they are in the file
RAW = "transcript_raw"  # a rectangular file as COPY read it, a column per cell (STAGE is then a view of it)
VERDICT = "transcript_verdict"  # what each distinct cell value (or IIN and student number pair) resolved to
JOINED = "transcript_joined"  # a view: the rows joined to their verdicts, and to the score each one would replace
CHECKED = "transcript_checked"  # JOINED written once (read four times), unless a new term's file needs it only once;
# of a file that leaves most scores as they are, only the rows to write (`_kept`)
VERDICTS = {  # a table each (each with its statistics, so the planner hashes them): the raw value(s) and the verdict
    # the IIN and student number cells: the IIN or the number to look for, and the student found (on the server)
    "who": "raw text, raw2 text, value text, value2 text, student bigint",
    "code": "raw text, value bigint",
    "period": "raw text, value text",
    "kind": "raw text, value text",
    "points": "raw text, value numeric(5, 2)",
}
VERDICT_RAW = {name: "raw, raw2" if name == "who" else "raw" for name in VERDICTS}
CELL_NAMES = ("iin", "number", "code", "period", "kind", "points")
KEY_IDS = {  # the distinct students and disciplines of a valid file (keys_lock), from its verdicts: a row per value
    "student_id": f"SELECT DISTINCT student AS id FROM {VERDICT}_who",  # noqa: S608 - own names
    "discipline_id": f"SELECT DISTINCT value AS id FROM {VERDICT}_code",  # noqa: S608
}
LOCAL_SETTINGS = {  # for this transaction only
    "work_mem": "64MB",  # the grouping of the distinct values and the window over a rejected file stay in memory
    "default_statistics_target": "10",  # ANALYZE of the staging table samples 3,000 rows, not 30,000: enough for
}  # the planner to hash the verdicts
LOCAL_ARGS = [v for item in LOCAL_SETTINGS.items() for v in item]
CARDINALITY_VIOLATION = "21000"  # ON CONFLICT DO UPDATE asked to touch one row twice
BAD_COPY_FILE_FORMAT = "22P04"  # COPY met a line with more or fewer cells than the table has columns
UNIQUE_VIOLATION = "23505"  # the plain INSERT met a score stored since the check (or the file's own second one)
REPLICA = "SELECT set_config('session_replication_role', %s, true)"  # SET LOCAL, for the one INSERT
FOREIGN_KEYS = (  # the score table's foreign keys (student, discipline), as SET CONSTRAINTS names them
    "SELECT string_agg(quote_ident(conname), ', ') FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'"
)
# Only the scores that are new or different are written: ON CONFLICT DO UPDATE locks every row it meets, also when
# its WHERE leaves the row alone, and a lock writes the row's page (and WAL) — on an identical file that was the
# whole write. Which scores are stored, and which of them unchanged, is found while the rows are checked
# (`_verdicts` joins the score table then: a join inside the INSERT would read the very table it fills, and with
# the statistics of an empty table the planner loops over it for every row). What the check found is written
# directly (`_split_write`): the rows with no stored score by a plain INSERT (no speculative insertion: ON
# CONFLICT probes the unique index before and after inserting each row), the changed ones by an UPDATE of the
# stored row the check found. Whatever moved since the check (a score inserted, deleted or changed by another
# transaction; a score twice among the new rows) undoes that and the one UPSERT writes the whole file instead:
# a row stored meanwhile meets ON CONFLICT, and `xmax = 0` marks the rows inserted (a row ON CONFLICT updated
# carries the lock it took), so that statement also counts what it added and updated.
INSERT_NEW = (
    "INSERT INTO {table} (student_id, discipline_id, period, kind, points, source) "  # noqa: S608 - own names
    "SELECT student_id, discipline_id, period, kind, points, %(source)s FROM {rows} WHERE stored IS NULL"
)
UPDATE_CHANGED = (  # the WHERE on the stored row: a score another transaction set to the file's points meanwhile
    # is not updated, the count falls short, and the UPSERT counts it as unchanged
    "UPDATE {table} t SET points = c.points, source = %(source)s FROM " + CHECKED + " c "  # noqa: S608 - own names
    "WHERE t.id = c.stored AND c.unchanged IS FALSE "
    "AND (t.points, t.source) IS DISTINCT FROM (c.points, %(source)s)"
)
UPSERT = (
    "WITH written AS (INSERT INTO {table} AS t (student_id, discipline_id, period, kind, points, source) "  # noqa: S608 - own names
    "SELECT student_id, discipline_id, period, kind, points, %(source)s FROM {rows} WHERE unchanged IS NOT TRUE "
    "ON CONFLICT (student_id, discipline_id, period, kind) DO UPDATE "
    "SET points = EXCLUDED.points, source = EXCLUDED.source "
    "WHERE (t.points, t.source) IS DISTINCT FROM (EXCLUDED.points, EXCLUDED.source) "
    "RETURNING t.xmax = 0 AS added) "
    "SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM written"
)
# The stored scores a file may replace: its students' (the unique index leads with the student), so the join never
# hashes every institution's scores; when none of them is in the file's periods (a new term's file: one probe) the
# join is left out. (Restricting the join itself to the periods too cost more than it saved: bench, 0.49 s / 0.38 s.)
STORED = f"(SELECT * FROM {TranscriptRow._meta.db_table} WHERE student_id IN (SELECT student FROM {VERDICT}_who))"  # noqa: S608
STORED_ANY = f"SELECT EXISTS (SELECT FROM {STORED} o WHERE period IN (SELECT value FROM {VERDICT}_period))"  # noqa: S608
TWICE = (  # a score twice in the file when one of the two was left out of the write as unchanged: both name the
    # same stored row (a pair that both reach the write meets the UPDATE's count or ON CONFLICT's cardinality check
    # instead). Counted by sorting the ids: a third of the time of GROUP BY stored HAVING count(*) > 1, whose hash
    # table of 100,000 groups took 0.08-0.14 s of an identical file's write
    "SELECT count(stored) <> count(DISTINCT stored) FROM {rows}"
)
UNRESOLVED = " OR ".join(  # a value of the file that resolved to nothing: some row is wrong (each value is some row's)
    f"EXISTS (SELECT FROM {VERDICT}_{name} WHERE {'student' if name == 'who' else 'value'} IS NULL)"  # noqa: S608
    for name in VERDICTS
)
WRONG = "student_id IS NULL OR discipline_id IS NULL OR period IS NULL OR kind IS NULL OR points IS NULL"
TALLY = (  # all, wrong, new, changed
    f"count(*) AS total, count(*) FILTER (WHERE {WRONG}) AS wrong, count(*) FILTER (WHERE stored IS NULL) AS fresh, "
    "count(*) FILTER (WHERE unchanged IS FALSE) AS changed"
)
COUNTS = f"SELECT {TALLY} FROM {CHECKED}"  # noqa: S608 - own names
# A file that leaves most stored scores as they are (the identical file, a few corrections) is checked in one pass
# that keeps only the rows to write (`_kept`): the join counted, the score twice found (TWICE over every row), and
# the rows that are not unchanged gathered into an array that fills CHECKED — rather than every row written to
# CHECKED and read again to count them. Gathering a row costs about twice what writing it does, so a file that
# changes most of its scores keeps the plain way; which way is told by its first rows (SAMPLE).
CHECKED_COLUMNS = (  # JOINED's columns, for the table `_kept` fills
    "n integer, student_id bigint, discipline_id bigint, period text, kind text, points numeric(5, 2), stored bigint, "
    "unchanged boolean"
)
KEPT = (
    f"WITH tally AS (SELECT {TALLY}, count(stored) <> count(DISTINCT stored) AS twice, "  # noqa: S608 - own names
    f"array_agg(j) FILTER (WHERE unchanged IS NOT TRUE) AS kept FROM {JOINED} j), "
    f"written AS (INSERT INTO {CHECKED} SELECT row.* FROM tally, unnest(kept) row) "
    "SELECT total, wrong, fresh, changed, twice FROM tally"
)
SAMPLE_ROWS = 1000
# A staged row `s` joined to its verdicts, the score it would replace `o` matched on them, and whether that score is
# unchanged (with the source as the call's parameter): the view JOINED and SAMPLE's guess join them alike.
VERDICT_JOINS = (
    f"JOIN {VERDICT}_who w ON w.raw = s.iin AND w.raw2 = s.number JOIN {VERDICT}_code c ON c.raw = s.code "
    f"JOIN {VERDICT}_period p ON p.raw = s.period JOIN {VERDICT}_kind k ON k.raw = s.kind "
    f"JOIN {VERDICT}_points pts ON pts.raw = s.points"
)
STORED_MATCH = "o.student_id = w.student AND o.discipline_id = c.value AND o.period = p.value AND o.kind = k.value"
UNCHANGED = "o.points = pts.value AND o.source = %s"
SAMPLE = (  # of a file's first rows (the heap's order: a guess, not a result), how many, and how many unchanged
    f"SELECT count(*), count(*) FILTER (WHERE {UNCHANGED}) FROM (SELECT * FROM {STAGE} LIMIT %s) s "  # noqa: S608
    f"{VERDICT_JOINS} LEFT JOIN {TranscriptRow._meta.db_table} o ON {STORED_MATCH}"
)


def _plain_csv(table: CsvTable) -> tuple[str, str] | None:
    """The text and delimiter of a CSV file PostgreSQL can split exactly as Python's csv module would (no quoting,
    no stray carriage returns, nothing COPY treats specially; csv_table refused the control characters, so the
    \\x01 and \\x02 `_stage_lines` uses cannot occur); None sends the file through the csv module."""
    text = table.text.replace("\r\n", "\n")
    # "\\." looked for only where a backslash is: a two-character search of 4 MB stops at every "." of the points
    # (6-12 ms), a one-character one runs through them (under 1 ms)
    if '"' in text or "\r" in text or ("\\" in text and "\\." in text):
        return None
    return text, table.delimiter


def _opening(result: ImportResult, header: list[str] | None, body: int) -> tuple[int, ...] | None:
    """The file-wide checks before any row, in the order both paths make them; the cells' positions, or None."""
    if header is None or not body:
        result.add(1, _("The file has no score rows."))
        return None
    if body > MAX_ROWS:
        result.add(1, _("At most %(n)s rows per file.") % {"n": MAX_ROWS})
        return None
    index, header_problems = _header_map(header)
    for problem in header_problems:
        result.add(1, problem)
    return None if header_problems else tuple(index.get(name, -1) for name in FIELDS)


def _filled_rows(cursor, text: str, delimiter: str, filled: str) -> int:
    """How many rows under the header hold a cell, as far as `_opening` needs to know (none, or how many when more
    than MAX_ROWS), read from the text rather than by a pass over the staged rows: none when no line under the header
    has a character other than the delimiter, else its lines (the blank ones too) while they are within MAX_ROWS,
    and only above that counted by the server (`filled`: a row with a cell)."""
    lines = text.rstrip("\n").count("\n")
    if re.search(f"\n{re.escape(delimiter)}*[^{re.escape(delimiter)}\n]", text) is None:
        return 0
    if lines <= MAX_ROWS:
        return lines
    cursor.execute(f"SELECT count(*) FROM {RAW} WHERE {filled}")  # noqa: S608 - own names
    return cursor.fetchone()[0]


def stage_copy(cursor, text: str, delimiter: str) -> list[str]:
    """The staging COPY of a plain file (`_stage_direct`): a temporary table with the row's number and a text column
    per cell; the columns' names. bench/transcripts_bench.py times it alone against the raw COPY.

    The number is an identity column whose sequence hands out a whole file's numbers at once (CACHE): they are
    consecutive all the same (a cache is the session's own, and this sequence is the temporary table's), and
    nextval no longer locks and rewrites the sequence's page for every row — a third of what the number cost the
    COPY (CPU of the COPY, eight rounds alternated at load 5.4: 0.135 s with the default cache of 1, 0.114 s with
    this one, 0.095 s with no number at all)."""
    columns = [f"c{i}" for i in range(text.split("\n", 1)[0].count(delimiter) + 1)]
    cursor.execute(  # the row numbers cached: the session's own sequence, read once rather than once per row
        f"CREATE TEMPORARY TABLE {RAW} (n integer GENERATED ALWAYS AS IDENTITY (START WITH 2 CACHE {MAX_ROWS + 1}), "
        f"{', '.join(f'{c} text' for c in columns)}) ON COMMIT DROP"
    )
    cursor.cursor.copy_expert(
        f"COPY {RAW} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER E'\\x{ord(delimiter):02x}', "
        f"QUOTE E'\\x02', FORCE_NOT_NULL ({', '.join(columns)}))",
        io.BytesIO(text.rstrip("\n").encode() + b"\n"),
    )
    return columns


def _stage_direct(cursor, result: ImportResult, text: str, delimiter: str) -> str | None:
    """COPY a plain file straight into a column per cell; the staging table is a view naming the six cells.

    The cheapest staging there is: one COPY, no second pass over the rows (`_stage_lines` splits them in SQL).
    The row's number in the file is its place in the COPY (the header is line 1). A line with another number of
    cells than the header (a short row, a blank line) makes COPY fail: that is undone (a savepoint) and the file
    goes to `_stage_lines` — the file is not read here first to find out."""
    header = text.split("\n", 1)[0].split(delimiter)
    try:
        with transaction.atomic():
            columns = stage_copy(cursor, text, delimiter)
    except connection.Database.DataError as exc:
        if exc.pgcode != BAD_COPY_FILE_FORMAT:
            raise
        return _stage_lines(cursor, result, text, delimiter)
    filled = " OR ".join(f"{c} <> ''" for c in columns)
    where = _opening(result, header, _filled_rows(cursor, text, delimiter, filled))
    if where is None:
        return None
    cells = ", ".join(
        f"c{i} AS {name}" if i >= 0 else f"''::text AS {name}" for i, name in zip(where, CELL_NAMES, strict=True)
    )
    cursor.execute(f"CREATE TEMPORARY VIEW {STAGE} AS SELECT n, {cells} FROM {RAW} WHERE {filled}")  # noqa: S608
    return RAW


def _stage_lines(cursor, result: ImportResult, text: str, delimiter: str) -> str | None:
    """COPY the file's lines as they are; the server splits them (the header, line 1, is read here)."""
    cursor.execute(
        "CREATE TEMPORARY TABLE transcript_lines "
        f"(n integer GENERATED ALWAYS AS IDENTITY (CACHE {MAX_ROWS + 1}), line text) ON COMMIT DROP"
    )
    cursor.cursor.copy_expert(
        "COPY transcript_lines (line) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')",
        io.BytesIO(text.encode()),
    )
    filled = "n > 1 AND translate(coalesce(line, ''), %s, '') <> ''"
    cursor.execute(f"SELECT count(*) FROM transcript_lines WHERE {filled}", [delimiter])  # noqa: S608
    header = text.split("\n", 1)[0].split(delimiter) if text else None
    where = _opening(result, header, cursor.fetchone()[0])
    if where is None:
        return None
    cells = ", ".join(
        f"coalesce(c[{i + 1}], '') AS {name}" if i >= 0 else f"''::text AS {name}"
        for i, name in zip(where, CELL_NAMES, strict=True)
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS SELECT n, {cells} "  # noqa: S608 - own names and numbers
        f"FROM (SELECT n, string_to_array(line, %s) AS c FROM transcript_lines WHERE {filled}) AS split",
        [delimiter, delimiter],
    )
    cursor.execute("DROP TABLE transcript_lines")
    return STAGE


def _stage_rows(cursor, result: ImportResult, rows: list[list[str]]) -> str | None:
    """COPY rows already read here (an XLSX sheet, a quoted CSV file, the API's items)."""
    where = _opening(result, rows[0] if rows else None, sum(1 for r in rows[1:] if any(r)))
    if where is None:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, row in enumerate(rows[1:], start=2):
        if any(row):
            width = len(row)
            writer.writerow([number, *(row[i] if 0 <= i < width else "" for i in where)])
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE} (n integer, {', '.join(f'{c} text' for c in CELL_NAMES)}) ON COMMIT DROP"
    )
    cursor.cursor.copy_expert(
        f"COPY {STAGE} FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(CELL_NAMES)}))",
        io.BytesIO(buffer.getvalue().encode()),
    )
    return STAGE


def _verdicts(cursor, institution: Institution, staged: str) -> Checked | None:
    """Reads each distinct cell value once, judges it by the same rules as `_parse_row`, writes the verdicts back.

    Students are matched on the server (IIN, or the student number when the IIN is empty; the newest student with
    that number, as `_Lookups` does), everything else here: the verdict is the value the row stores, or NULL.
    The rows joined to them are the view JOINED, then checked and counted (`_check`); None for a new term's file (no
    stored score to join) with every value resolved: it is inserted straight from the join, which it needs once
    (writing the rows out and counting them was 0.2-0.3 s of 100,000 rows' check)."""
    cursor.execute(
        f"SELECT iin, number, code, period, kind, points FROM {STAGE} "  # noqa: S608 - own table
        "GROUP BY GROUPING SETS ((iin, number), (code), (period), (kind), (points))"
    )
    disciplines = dict(Discipline.objects.filter(institution=institution).values_list("code", "pk"))
    out = {name: io.StringIO() for name in VERDICTS}
    writers = {name: csv.writer(buffer, lineterminator="\n") for name, buffer in out.items()}
    for iin, number, code, period, kind, points in cursor.fetchall():
        if iin is not None:
            by_iin = _iin(iin.strip())
            by_number = None if by_iin else number.strip().removesuffix(".0")
            writers["who"].writerow([iin, number, by_iin or None, by_number, None])  # student: found below
        elif code is not None:
            writers["code"].writerow([code, disciplines.get(code.strip())])
        elif period is not None:
            writers["period"].writerow([period, _period(period)])
        elif kind is not None:
            writers["kind"].writerow([kind, _kind(kind)])
        elif points is not None:
            writers["points"].writerow([points, _points(points)])
    for name, columns in VERDICTS.items():
        table = f"{VERDICT}_{name}"
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns}) ON COMMIT DROP")
        cursor.cursor.copy_expert(
            f"COPY {table} FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({VERDICT_RAW[name]}))",
            io.BytesIO(out[name].getvalue().encode()),
        )
        cursor.execute(f"ANALYZE {table}")  # fresh temporary tables have no statistics: without them the planner
    cursor.execute(f"ANALYZE {staged}")  # loops over the verdicts for every row instead of hashing them
    _students_found(cursor, institution)
    cursor.execute(STORED_ANY)
    stored_any = cursor.fetchone()[0]
    stored = (
        f"LEFT JOIN {STORED} o ON {STORED_MATCH}"
        if stored_any
        else "LEFT JOIN (SELECT NULL::bigint AS id, NULL::numeric AS points, NULL::text AS source) o ON false"
    )
    cursor.execute(
        f"CREATE TEMPORARY VIEW {JOINED} AS "  # noqa: S608 - own names
        "SELECT s.n, w.student AS student_id, c.value AS discipline_id, "
        "p.value AS period, k.value AS kind, pts.value AS points, "
        f"o.id AS stored, ({UNCHANGED}) AS unchanged "
        f"FROM {STAGE} s {VERDICT_JOINS} {stored}",  # psycopg2 puts the source in the view's text
        [TranscriptRow.Source.IMPORT],
    )
    return _check(cursor, stored_any)


def _check(cursor, stored_any: bool) -> Checked | None:
    """The joined rows' counts and CHECKED: every row (`_checked`), or only the rows to write when every value
    resolved and the file's first rows are mostly unchanged (`_kept`); None: a new term's file, nothing written out."""
    cursor.execute(f"SELECT {UNRESOLVED}")
    if cursor.fetchone()[0]:
        return Checked(*_checked(cursor))
    if not stored_any:
        return None
    cursor.execute(SAMPLE, [TranscriptRow.Source.IMPORT, SAMPLE_ROWS])
    sampled, unchanged = cursor.fetchone()
    return _kept(cursor) if 3 * unchanged >= 2 * sampled else Checked(*_checked(cursor))


def _checked(cursor, *, again: bool = False) -> tuple[int, int, int, int]:
    """The joined rows written to CHECKED (once: a second call only counts them, unless `again` writes every row
    anew over `_kept`'s): all, wrong, new and changed."""
    if again:
        cursor.execute(f"DROP TABLE {CHECKED}")
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {CHECKED} ON COMMIT DROP AS SELECT * FROM {JOINED}")  # noqa: S608
    cursor.execute(COUNTS)
    return cursor.fetchone()


def _kept(cursor) -> Checked:
    """One pass over the join: counted, a score twice found, and only the rows to write (new or changed) kept in
    CHECKED (KEPT); every value resolved, so none is wrong."""
    cursor.execute(f"CREATE TEMPORARY TABLE {CHECKED} ({CHECKED_COLUMNS}) ON COMMIT DROP")
    cursor.execute(KEPT)
    return Checked(*cursor.fetchone())


def _students_found(cursor, institution: Institution) -> None:
    """Each distinct IIN and student number pair's student, found once (by IIN, else the newest student with that
    number, as `_Lookups` does) rather than for each of the rows that name it."""
    student = Student._meta.db_table
    cursor.execute(
        f"UPDATE {VERDICT}_who w SET student = s.id FROM {student} s "  # noqa: S608 - own names
        "WHERE s.institution_id = %s AND s.iin = w.value",
        [institution.pk],
    )
    cursor.execute(
        f"UPDATE {VERDICT}_who w SET student = s.id FROM (SELECT record_number, max(id) AS id FROM {student} "  # noqa: S608
        "WHERE institution_id = %s AND record_number <> '' GROUP BY record_number) s WHERE s.record_number = w.value2",
        [institution.pk],
    )


def _sql_errors(cursor, result: ImportResult, bad: int) -> None:
    """Names every rejected row: the ones with a value that did not resolve, and second scores (a window over the
    resolved rows finds the previous row with the same student, discipline, period and kind, as `seen` does)."""
    resolved = (
        "student_id IS NOT NULL AND discipline_id IS NOT NULL AND period IS NOT NULL AND kind IS NOT NULL "
        "AND points IS NOT NULL"
    )
    cursor.execute(
        "WITH dup AS (SELECT n, lag(n) OVER (PARTITION BY student_id, discipline_id, period, kind ORDER BY n) AS prev "  # noqa: S608 - own names
        f"FROM {CHECKED} WHERE {resolved}), "
        f"wrong AS (SELECT n, NULL::integer AS prev FROM {CHECKED} WHERE NOT ({resolved}) "
        "UNION ALL SELECT n, prev FROM dup WHERE prev IS NOT NULL) "
        "SELECT count(*) OVER (), w.n, w.prev, s.iin, s.number, s.code, s.period, s.kind, s.points, "
        "c.student_id, c.discipline_id, c.kind "
        f"FROM wrong w JOIN {STAGE} s ON s.n = w.n JOIN {CHECKED} c ON c.n = w.n ORDER BY w.n LIMIT %s",
        [MAX_ERRORS_SHOWN],
    )
    found = cursor.fetchall()
    for _total, n, prev, *cells, student, discipline, kind in found:
        if prev is not None:
            result.add(n, _("the same score is also on row %(row)s") % {"row": prev})
            continue
        iin, number, code, period, kind_text, points = (c.strip() for c in cells)
        who = _iin(iin) or number
        result.add(n, "; ".join(_problems(student, discipline, kind, who, code, period, kind_text, points)))
    result.error_count = found[0][0] if found else bad


def _sql_import(*, actor, institution: Institution, stage: Callable, progress: Progress | None) -> ImportResult:
    """PostgreSQL's path: stage, check set-based, write with one INSERT … ON CONFLICT — one transaction."""
    result = ImportResult()
    tick = progress or (lambda share: None)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _name in LOCAL_SETTINGS), LOCAL_ARGS)
        staged = stage(cursor, result)
        if staged:
            tick(0.2)
            _checked_write(cursor, actor, institution, result, staged, tick)
        # ON COMMIT DROP waits for the outermost commit; an import inside a longer transaction drops them here (a
        # temporary view has no ON COMMIT DROP at all)
        cursor.execute(f"DROP VIEW IF EXISTS {JOINED}")
        if staged == RAW:
            cursor.execute(f"DROP VIEW {STAGE}")
        verdicts = ", ".join(f"{VERDICT}_{name}" for name in VERDICTS)
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}, transcript_lines, {STAGE}, {verdicts}, {CHECKED}")
    return result


class _Twice(Exception):
    """The file holds a score twice: the write is undone and the rows are named."""


class _Moved(Exception):
    """A changed score is no longer stored as the check found it: the direct write is undone."""


def _split_write(cursor, table: str, rows: str, fresh: int | None, changed: int) -> tuple[int, int] | None:
    """The `fresh` new scores of `rows` (None: all of them, not counted yet) by a plain INSERT, the `changed` ones
    by an UPDATE of the rows the check found (a statement with nothing to write is not run: each reads every checked
    row); how many of each, or None (undone) when something moved since the check or the new rows hold a score
    twice."""
    params = {"source": TranscriptRow.Source.IMPORT}
    try:
        with transaction.atomic():
            if fresh is None or fresh:
                cursor.execute(INSERT_NEW.format(table=table, rows=rows), params)
                fresh = cursor.rowcount
            if changed:
                cursor.execute(UPDATE_CHANGED.format(table=table), params)
                if cursor.rowcount != changed:  # deleted or changed meanwhile, or a stored score twice in the file
                    raise _Moved
    except IntegrityError as exc:
        if getattr(exc.__cause__, "pgcode", None) != UNIQUE_VIOLATION:
            raise
        return None
    except _Moved:
        return None
    return fresh, changed


def _upsert(cursor, replica: bool, checked: Checked | None) -> tuple[int, int, int] | None:
    """The write: how many scores the file has, and how many it added and updated; None when it holds a score twice
    (the UPSERT would touch a row twice; when one of the two was unchanged, TWICE finds it, unless `_kept` already
    looked). `checked` None: a new term's file, straight from JOINED (`_verdicts`), every row new.

    `_split_write` first, the one INSERT … ON CONFLICT when it was undone. With `replica` the keys were locked and
    checked set-based (transcript_keys.py) and the statements skip the row-by-row triggers; otherwise the triggers
    check them at the end of each statement, not at the commit, so the progress covers them (the same checks, the
    same cost)."""
    table, rows = TranscriptRow._meta.db_table, JOINED if checked is None else CHECKED
    total, fresh, changed = (None, None, 0) if checked is None else (checked.total, checked.fresh, checked.changed)
    if replica:
        before, after = (REPLICA, ["replica"]), (REPLICA, ["origin"])
    else:
        cursor.execute(FOREIGN_KEYS, [table])
        keys = cursor.fetchone()[0]
        before, after = (f"SET CONSTRAINTS {keys} IMMEDIATE", None), (f"SET CONSTRAINTS {keys} DEFERRED", None)
    cursor.execute(*before)
    try:
        with transaction.atomic():
            counts = _split_write(cursor, table, rows, fresh, changed)
            if counts is None:
                cursor.execute(UPSERT.format(table=table, rows=rows), {"source": TranscriptRow.Source.IMPORT})
                counts = cursor.fetchone()
                if total is None:  # a score another transaction stored meanwhile may be left unchanged
                    cursor.execute(f"SELECT count(*) FROM {JOINED}")  # noqa: S608 - own names
                    total = cursor.fetchone()[0]
            total = counts[0] if total is None else total
            # unchanged rows were not written: a second one of them is found here (`_kept` counted them already)
            if sum(counts) < total and (checked is None or checked.twice is None):
                cursor.execute(TWICE.format(rows=rows))
                if cursor.fetchone()[0]:
                    raise _Twice
    except ProgrammingError as exc:
        if getattr(exc.__cause__, "pgcode", None) != CARDINALITY_VIOLATION:
            raise
        written = None
    except _Twice:
        written = None
    else:
        written = (total, *counts)
    cursor.execute(*after)
    return written


def _checked_write(cursor, actor, institution: Institution, result: ImportResult, staged: str, tick: Progress) -> None:
    checked = _verdicts(cursor, institution, staged)
    tick(0.5)
    replica, bad = False, checked.bad if checked else 0
    if not bad and not (checked and checked.twice):
        replica = replica_allowed(cursor)
        if replica and not keys_lock(cursor, KEY_IDS):  # every row checked again, to name the rows of a key gone
            checked = Checked(*_checked(cursor, again=bool(checked and checked.twice is not None)))
            bad = keys_missing(cursor, CHECKED)  # a student or discipline deleted since the checks: named below
            replica = False  # none gone after all (one came back): the triggers check them
    written = _upsert(cursor, replica, checked) if not bad and not (checked and checked.twice) else None
    if written is not None:
        tick(0.95)
        _done(result, actor, institution, *written)
        return
    if checked is None or checked.twice is not None:  # CHECKED holds no row or only `_kept`'s: every row, to name
        _checked(cursor, again=checked is not None)
    _sql_errors(cursor, result, bad)


def _done(result: ImportResult, actor, institution: Institution, total: int, added: int, updated: int) -> None:
    result.written, result.added, result.updated, result.unchanged = total, added, updated, total - added - updated
    audit_record(
        actor=actor,
        verb="transcripts.import",
        obj=institution,
        after={"rows": total, "added": added, "updated": updated, "unchanged": result.unchanged},
    )


# ---- the fallback (SQLite): every row here ---------------------------------------------------------------------


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
            progress(0.5 + min(start + BATCH, len(parsed)) / len(parsed) / 2)


@transaction.atomic
def python_import(
    *, actor, institution: Institution, rows: list[list[str]], progress: Progress | None = None
) -> ImportResult:
    """Validates every row here, then writes all of them in batched upserts, or nothing (the SQLite path; on
    PostgreSQL the tests run it beside `_sql_import` to hold the two to the same results)."""
    result = ImportResult()
    parsed = transcripts_validate(institution=institution, rows=rows, result=result, progress=progress)
    if result.ok:
        changed, added = _changed(institution, parsed)
        _bulk_upsert(changed, progress)
        _done(result, actor, institution, len(parsed), added, len(changed) - added)
    return result


def _changed(institution: Institution, parsed: list[tuple]) -> tuple[list[tuple], int]:
    """The parsed scores that are new or different from the stored ones (as the SQL path, the others are left
    alone), and how many of them are new."""
    stored = {
        tuple(key): (points, source)
        for *key, points, source in TranscriptRow.objects.filter(student__institution=institution).values_list(
            "student_id", "discipline_id", "period", "kind", "points", "source"
        )
    }
    changed = [row for row in parsed if stored.get(row[:4]) != (Decimal(row[4]), TranscriptRow.Source.IMPORT)]
    return changed, sum(1 for row in changed if row[:4] not in stored)


def transcripts_import(
    *, actor, institution: Institution, rows: list[list[str]], progress: Progress | None = None
) -> ImportResult:
    """Validates every row, then writes all of them, or nothing (rows already read: an XLSX sheet, the API)."""
    if connection.vendor != "postgresql":
        return python_import(actor=actor, institution=institution, rows=rows, progress=progress)
    return _sql_import(
        actor=actor,
        institution=institution,
        stage=lambda cursor, result: _stage_rows(cursor, result, rows),
        progress=progress,
    )


def transcripts_import_file(
    *, actor, institution: Institution, upload, kind: str, progress: Progress | None = None
) -> ImportResult:
    """Imports an uploaded file; a plain CSV file goes to PostgreSQL as it is (ValidationError: unreadable file)."""
    if kind == "csv":
        table = csv_table(upload.read())
        plain = _plain_csv(table) if connection.vendor == "postgresql" else None
        if plain is not None:
            text, delimiter = plain
            return _sql_import(
                actor=actor,
                institution=institution,
                stage=lambda cursor, result: _stage_direct(cursor, result, text, delimiter),
                progress=progress,
            )
        rows = table.rows()
    else:
        rows = read_table(upload, kind)
    if progress:
        progress(0.1)
    return transcripts_import(actor=actor, institution=institution, rows=rows, progress=progress)


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

    def work(job: TranscriptImport) -> dict:
        job_progress(TranscriptImport, job_pk, done=0, total=PROGRESS_STEPS)
        with job.file.open("rb") as handle:
            result = transcripts_import_file(
                actor=job.requested_by,
                institution=job.institution,
                upload=handle,
                kind=job.kind,
                progress=lambda share: job_progress(
                    TranscriptImport, job_pk, done=int(share * PROGRESS_STEPS), seen_now=True
                ),
            )
        fields = {
            "written": result.written,
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "done": PROGRESS_STEPS,
            "total": PROGRESS_STEPS,
        }
        if not result.ok:
            raise JobRejected(errors=[list(e) for e in result.errors], **fields)
        return {"errors": [], **fields}

    job_run_once(TranscriptImport, job_pk, work, failed=lambda messages: {"errors": [[1, m] for m in messages]})

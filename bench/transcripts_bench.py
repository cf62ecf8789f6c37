"""Times the transcript import (100,000 rows) against PostgreSQL's own COPY of the same CSV.

The app's path is `exams.applications.transcripts.transcripts_import_file`, what the worker runs on an uploaded
file: COPY the file into a staging table, check every row set-based (student by IIN, discipline by code, period,
kind, points, a score twice), then one INSERT … ON CONFLICT UPDATE, all in one transaction. Each run is also split
into phases by the import's own progress marks: stage (COPY into staging), check (the set-based checks), write (the
INSERT with its foreign-key checks), commit (the audit record and the commit). Timed three ways: new
rows, updates (the same file with every score changed), and the identical file again (nothing to change). The
path before (every row parsed and checked in Python, `python_import`, the SQLite fallback) is timed beside it on
new rows. The floor, and the headline ratio, is `COPY staging FROM STDIN CSV` (psycopg2 copy_expert) of the
identical file into an unlogged table of text columns: no validation, no lookups, no constraints. A second
baseline is printed beside it: `COPY` of the same rows, already resolved to ids here (not timed), straight into the
score table itself — its heap, its three indexes, its check and its two foreign keys (deferred: checked row by row
at the commit, which is timed) — what PostgreSQL's plain tool costs to write the same data into the same table
when nothing has to be looked up or checked and no score is there yet.

The floor of the prescribed method itself, timed in the same run (each undone after): (b) the import's own staging
COPY alone (`transcripts.stage_copy`: its temporary table, with the row's number, created and filled); (c) the
write alone — `INSERT INTO <score table> … SELECT` of the 100,000 resolved rows from a temporary table into the
empty score table, nothing looked up or checked, no ON CONFLICT, its indexes, check and foreign keys as they are
(the keys checked by their row-by-row triggers inside the statement), the same with those triggers off (as the
import writes once it has checked the keys set-based, `transcript_keys.py`), and an UPDATE of the 100,000 stored
scores' points joined on the id (as the import's). Each is printed as a ratio to the raw COPY: raw COPY + write
alone is the least the method can cost, whatever the checks cost.

Needs a PostgreSQL DATABASE_URL; migrates it, and keeps a "BENCH-TR" institution with its students between runs.
Usage: .venv/bin/python bench/transcripts_bench.py [rows] [runs]   — appends to bench/RESULTS.md
"""

import csv
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from attestation.core.csv_table import csv_table  # noqa: E402
from attestation.institutions import services as institution_services  # noqa: E402
from attestation.institutions.models import Department, Discipline, Group, Institution, Programme, Student  # noqa: E402
from attestation.institutions.validators import iin_with_check_digit  # noqa: E402
from exams.applications import transcripts  # noqa: E402
from exams.applications.models import TranscriptRow  # noqa: E402

DISCIPLINES = 20
KINDS = ("current", "midterm", "final")


def world(students: int) -> tuple[Institution, list[str], list[str]]:
    institution = Institution.objects.filter(short_name="BENCH-TR").first()
    if institution is None:
        institution = institution_services.institution_create(
            actor=None, kind="hei", short_name="BENCH-TR", name_kk="Бенчмарк", name_ru="Бенчмарк", academic_year=2019
        )
    department = Department.objects.get_or_create(institution=institution, name_kk="Кафедра", name_ru="Кафедра")[0]
    programme = Programme.objects.get_or_create(
        department=department, code="6B00001", level="bachelor", defaults={"name_kk": "Бағдарлама", "name_ru": "Программа"}
    )[0]
    group = Group.objects.get_or_create(programme=programme, name="B-1", defaults={"study_language": "kk"})[0]
    have = Student.objects.filter(institution=institution).count()
    new, serial = [], 9_000_000 + have * 3
    while have + len(new) < students:
        serial += 1
        iin = iin_with_check_digit(f"{serial:011d}")
        if iin:
            new.append(
                Student(
                    institution=institution,
                    group=group,
                    iin=iin,
                    last_name_kk="Сынақ",
                    first_name_kk="Студент",
                    last_name_ru="Тест",
                    first_name_ru="Студент",
                    study_language="kk",
                )
            )
    Student.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    codes = [f"BN{i:03d}" for i in range(DISCIPLINES)]
    Discipline.objects.bulk_create(
        [Discipline(institution=institution, code=c, name_kk=c, name_ru=c, category="basic") for c in codes],
        ignore_conflicts=True,
    )
    iins = list(Student.objects.filter(institution=institution).order_by("pk").values_list("iin", flat=True))
    return institution, iins[:students], codes


def make_csv(rows: int, iins: list[str], codes: list[str], shift: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["IIN", "Discipline code", "Period", "Kind", "Points"])
    n = 0
    for iin in iins:
        for code in codes:
            for kind in KINDS:
                if n == rows:
                    return out.getvalue().encode()
                writer.writerow([iin, code, "2019-2", kind, f"{50 + (n * 37 + shift) % 5000 / 100:.2f}"])
                n += 1
    return out.getvalue().encode()


PHASES = ("stage", "check", "write", "commit")  # what the import's progress marks (0.2, 0.5, 0.95) separate


def time_app(data: bytes, institution: Institution, phases: list[list[float]] | None = None) -> float:
    marks: list[float] = []
    started = time.perf_counter()
    result = transcripts.transcripts_import_file(
        actor=None,
        institution=institution,
        upload=io.BytesIO(data),
        kind="csv",
        progress=lambda share: marks.append(time.perf_counter()),
    )
    elapsed = time.perf_counter() - started
    assert result.ok and result.written, result.errors[:3]
    if phases is not None and len(marks) == len(PHASES) - 1:
        edges = [started, *marks, started + elapsed]
        phases.append([b - a for a, b in zip(edges, edges[1:], strict=False)])
    return elapsed


def time_python(data: bytes, institution: Institution) -> float:
    started = time.perf_counter()
    rows = transcripts.read_table(io.BytesIO(data), "csv")
    result = transcripts.python_import(actor=None, institution=institution, rows=rows)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:3]
    return elapsed


def clear(institution: Institution) -> None:
    TranscriptRow.objects.filter(student__institution=institution).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TranscriptRow._meta.db_table}")  # noqa: S608 - the model's own table


def time_copy(data: bytes) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_transcripts_staging")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_transcripts_staging (iin text, discipline text, period text, "
            "kind text, points numeric(5,2))"
        )
        started = time.perf_counter()
        cursor.cursor.copy_expert(
            "COPY bench_transcripts_staging FROM STDIN WITH (FORMAT csv, HEADER true)", io.BytesIO(data)
        )
        connection.commit() if not connection.get_autocommit() else None
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_transcripts_staging")
    return elapsed


def resolved_csv(data: bytes, institution: Institution) -> bytes:
    """The bench file with the IIN and the code replaced by the ids they stand for: a score table row per line."""
    students = dict(Student.objects.filter(institution=institution).values_list("iin", "pk"))
    disciplines = dict(Discipline.objects.filter(institution=institution).values_list("code", "pk"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for iin, code, period, kind, points in list(csv.reader(io.StringIO(data.decode())))[1:]:
        writer.writerow([students[iin], disciplines[code], period, kind, points, TranscriptRow.Source.IMPORT])
    return out.getvalue().encode()


def time_copy_table(resolved: bytes, institution: Institution) -> float:
    """COPY of the resolved rows into the empty score table itself, foreign keys checked at the commit; undone."""
    table = TranscriptRow._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} (student_id, discipline_id, period, kind, points, source) FROM STDIN WITH (FORMAT csv)",
            io.BytesIO(resolved),
        )
    elapsed = time.perf_counter() - started
    clear(institution)
    return elapsed


def time_stage_copy(data: bytes) -> float:
    """(b) The import's own staging COPY alone (`transcripts.stage_copy`: the temporary table with the row's number
    and a text column per cell, created and filled), in a transaction of its own; the file read as the import reads
    it (not timed)."""
    text, delimiter = transcripts._plain_csv(csv_table(data))
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        transcripts.stage_copy(cursor, text, delimiter)
        elapsed = time.perf_counter() - started
        cursor.execute(f"DROP TABLE {transcripts.RAW}")
    return elapsed


RESOLVED_COLUMNS = "student_id, discipline_id, period, kind, points, source"


def _resolved_table(cursor, name: str, resolved: bytes) -> None:
    cursor.execute(
        f"CREATE TEMPORARY TABLE {name} (student_id bigint, discipline_id bigint, period text, kind text, "
        "points numeric(5, 2), source text) ON COMMIT DROP"
    )
    cursor.cursor.copy_expert(f"COPY {name} FROM STDIN WITH (FORMAT csv)", io.BytesIO(resolved))
    cursor.execute(f"ANALYZE {name}")


def time_write(resolved: bytes, changed: bytes, institution: Institution) -> tuple[float, float, float]:
    """(c) The write alone, nothing looked up or checked, no ON CONFLICT: `INSERT INTO <score table> … SELECT` of the
    resolved rows from a temporary table (filled and analyzed first, not timed) into the empty score table, its
    indexes, check and foreign keys as they are — the keys checked by their row-by-row triggers within the
    statement (SET CONSTRAINTS ALL IMMEDIATE) —, with the commit; the same with those triggers off (replica mode,
    as the import writes after its set-based check of the keys); then `UPDATE … SET points … FROM` a temporary
    table of the stored ids and the changed points (joined on the id, as the import's UPDATE) of those 100,000
    stored rows, with the commit. Each undone after (the rows deleted, the table vacuumed)."""
    table = TranscriptRow._meta.db_table
    insert = f"INSERT INTO {table} ({RESOLVED_COLUMNS}) SELECT {RESOLVED_COLUMNS} FROM bench_resolved"  # noqa: S608
    times = []
    for mode in ("origin", "replica"):
        with transaction.atomic(), connection.cursor() as cursor:
            _resolved_table(cursor, "bench_resolved", resolved)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SELECT set_config('session_replication_role', %s, true)", [mode])
            started = time.perf_counter()
            cursor.execute(insert)
        times.append(time.perf_counter() - started)
        if mode == "origin":
            clear(institution)
    with transaction.atomic(), connection.cursor() as cursor:  # the replica INSERT's rows are the stored ones
        _resolved_table(cursor, "bench_changed_resolved", changed)
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_changed ON COMMIT DROP AS SELECT t.id, c.points FROM {table} t "  # noqa: S608
            "JOIN bench_changed_resolved c USING (student_id, discipline_id, period, kind)"
        )
        cursor.execute("ANALYZE bench_changed")
        started = time.perf_counter()
        cursor.execute(f"UPDATE {table} t SET points = c.points FROM bench_changed c WHERE t.id = c.id")  # noqa: S608
    times.append(time.perf_counter() - started)
    clear(institution)
    return times[0], times[1], times[2]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL is needed (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    students = -(-rows // (DISCIPLINES * len(KINDS)))
    institution, iins, codes = world(students)
    data = make_csv(rows, iins, codes)
    changed = make_csv(rows, iins, codes, shift=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the bench world was just made: the planner should know its size
    resolved, resolved_changed = resolved_csv(data, institution), resolved_csv(changed, institution)
    fresh, update, same, copy, table_copy, before = [], [], [], [], [], []
    staging, insert_keys, insert_replica, update_alone = [], [], [], []
    phases: dict[str, list[list[float]]] = {"new": [], "update": [], "same": []}
    for _ in range(runs):
        clear(institution)
        copy.append(time_copy(data))
        table_copy.append(time_copy_table(resolved, institution))
        staging.append(time_stage_copy(data))
        for got, seconds in zip(
            (insert_keys, insert_replica, update_alone), time_write(resolved, resolved_changed, institution), strict=True
        ):
            got.append(seconds)
        fresh.append(time_app(data, institution, phases["new"]))
        update.append(time_app(changed, institution, phases["update"]))
        same.append(time_app(changed, institution, phases["same"]))
        clear(institution)
        before.append(time_python(data, institution))
    f, u, e, c, t, b = (statistics.median(x) for x in (fresh, update, same, copy, table_copy, before))
    sc, ik, ir, ua = (statistics.median(x) for x in (staging, insert_keys, insert_replica, update_alone))
    split = [
        f"phases_{name} " + " ".join(f"{p}={statistics.median(x[i] for x in got):.2f}" for i, p in enumerate(PHASES))
        for name, got in phases.items()
        if got
    ]
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    lines = [
        f"\n## Transcript import, {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%MZ}, {rows:,} rows "
        f"({len(data) / 1e6:.1f} MB CSV), median of {runs}",
        "```",
        f"app_import_new rows={rows} seconds={f:.2f} rows_per_s={rows / f:,.0f}",
        f"app_import_update rows={rows} seconds={u:.2f} rows_per_s={rows / u:,.0f} (every score changed)",
        f"app_import_same rows={rows} seconds={e:.2f} rows_per_s={rows / e:,.0f} (the identical file again)",
        f"python_path_new rows={rows} seconds={b:.2f} rows_per_s={rows / b:,.0f} (before: every row checked in Python)",
        f"postgres_copy rows={rows} seconds={c:.2f} rows_per_s={rows / c:,.0f} (the file into an unlogged text table)",
        f"postgres_copy_into_score_table rows={rows} seconds={t:.2f} rows_per_s={rows / t:,.0f} "
        "(the same rows resolved to ids, into the score table: its indexes, check and foreign keys, with the commit)",
        f"floor_stage_copy rows={rows} seconds={sc:.3f} ({sc / c:.1f}× the raw COPY: the import's own staging COPY "
        "alone, a temporary table with the row's number and a text column per cell)",
        f"floor_insert rows={rows} seconds={ik:.3f} ({ik / c:.1f}×: INSERT … SELECT of the resolved rows from a "  # noqa: S608 - a label
        "temporary table into the empty score table, keys checked by their triggers, with the commit)",
        f"floor_insert_keys_off rows={rows} seconds={ir:.3f} ({ir / c:.1f}×: the same, the keys' row-by-row triggers "
        "off, as the import writes after its set-based key check)",
        f"floor_update rows={rows} seconds={ua:.3f} ({ua / c:.1f}×: UPDATE of the 100,000 stored scores' points joined "
        "on the id, with the commit)",
        *split,
        f"load_average {load} (1, 5, 15 min, at the end)",
        "```",
        f"- transcript import / raw COPY time: new rows {f / c:.1f}×, every score updated {u / c:.1f}×, "
        f"identical file {e / c:.1f}× (target ≤ 3×); the Python path on new rows {b / c:.1f}×",
        f"- transcript import / COPY of the resolved rows into the score table: new rows {f / t:.1f}×, every score "
        f"updated {u / t:.1f}×, identical file {e / t:.1f}× (that COPY itself is {t / c:.1f}× the raw COPY)",
        f"- the prescribed method's floor, in raw COPYs: the write alone {ik / c:.1f}× for new rows with the keys' "
        f"triggers, {ir / c:.1f}× with the keys checked set-based, {ua / c:.1f}× for updates; raw COPY + write "
        f"{1 + ik / c:.1f}× / {1 + ir / c:.1f}× / {1 + ua / c:.1f}×, the import's staging COPY + write "
        f"{(sc + ir) / c:.1f}× (new rows, keys set-based) / {(sc + ua) / c:.1f}× (updates) — against the target of 3×",
    ]
    print("\n".join(lines))
    if os.environ.get("BENCH_NO_APPEND"):
        return
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

"""Times the transcript import (100,000 rows) against PostgreSQL's own COPY of the same CSV.

The app's path is `exams.applications.transcripts`: read the CSV, validate every row (student by IIN, discipline
by code, period, kind, points, duplicates), then write in batches with INSERT … ON CONFLICT UPDATE, all in one
transaction. The floor is `COPY staging FROM STDIN CSV` (psycopg2 copy_expert) of the identical file into an
unlogged table of text columns: no validation, no lookups, no constraints.

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
from django.db import connection  # noqa: E402

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


def make_csv(rows: int, iins: list[str], codes: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["IIN", "Discipline code", "Period", "Kind", "Points"])
    n = 0
    for iin in iins:
        for code in codes:
            for kind in KINDS:
                if n == rows:
                    return out.getvalue().encode()
                writer.writerow([iin, code, "2019-2", kind, f"{50 + (n * 37) % 5000 / 100:.2f}"])
                n += 1
    return out.getvalue().encode()


def time_app(data: bytes, institution: Institution) -> float:
    started = time.perf_counter()
    rows = transcripts.read_table(io.BytesIO(data), "csv")
    result = transcripts.transcripts_import(actor=None, institution=institution, rows=rows)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:3]
    return elapsed


def time_validate(data: bytes, institution: Institution) -> float:
    started = time.perf_counter()
    rows = transcripts.read_table(io.BytesIO(data), "csv")
    transcripts.transcripts_validate(institution=institution, rows=rows, result=transcripts.ImportResult())
    return time.perf_counter() - started


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


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL is needed (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    students = -(-rows // (DISCIPLINES * len(KINDS)))
    institution, iins, codes = world(students)
    data = make_csv(rows, iins, codes)
    fresh, update, copy, check = [], [], [], []
    for _ in range(runs):
        TranscriptRow.objects.filter(student__institution=institution).delete()
        fresh.append(time_app(data, institution))
        update.append(time_app(data, institution))
        copy.append(time_copy(data))
        check.append(time_validate(data, institution))
    f, u, c, v = (statistics.median(x) for x in (fresh, update, copy, check))
    lines = [
        f"\n## Transcript import, {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%MZ}, {rows:,} rows "
        f"({len(data) / 1e6:.1f} MB CSV), median of {runs}",
        "```",
        f"app_import_new rows={rows} seconds={f:.2f} rows_per_s={rows / f:,.0f}",
        f"app_import_update rows={rows} seconds={u:.2f} rows_per_s={rows / u:,.0f}",
        f"app_read_and_validate_only rows={rows} seconds={v:.2f} rows_per_s={rows / v:,.0f}",
        f"postgres_copy rows={rows} seconds={c:.2f} rows_per_s={rows / c:,.0f}",
        "```",
        f"- app import (validate + write, new rows) / raw COPY time: {f / c:.1f}×; updating existing rows: {u / c:.1f}×",
    ]
    print("\n".join(lines))
    if os.environ.get("BENCH_NO_APPEND"):
        return
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

"""How long the announcement's building ahead takes for the bench's students: their results pages and schedules
built as each of them, through the same service the announcement's task runs (appeals/pages_ahead.py:
`student_pages_build`), in one process, as one worker would (production settings of bench/env.sh, BENCH-U).
Their pages are ended first, as the announcement ends them (their generation renewed).

Usage: .venv/bin/python bench/build_ahead.py [students]   — prints one RESULT line
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from appeals.pages_ahead import PAGES, student_pages_build  # noqa: E402
from attestation.core.student_pages import student_pages_changed  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    # The students of var/bench/students.txt (bench_sessions: the first N users named bench-s…, by id).
    ids = list(
        get_user_model().objects.filter(username__startswith="bench-s").order_by("pk").values_list("pk", flat=True)[:n]
    )
    for user_id in ids:
        student_pages_changed(user_id)  # as the announcement does
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    built = student_pages_build(user_ids=ids)
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    print(
        f"RESULT students={len(ids)} pages={built} of {len(ids) * len(PAGES)} seconds={wall:.2f} "
        f"per_100_students={wall / len(ids) * 100:.2f}s cpu_per_100={cpu / len(ids) * 100:.2f}s"
    )


if __name__ == "__main__":
    main()

"""How long the announcement's building ahead takes for the bench's students: their results pages and schedules
built as each of them, through the same service the announcement's task runs (appeals/pages_ahead.py:
`student_pages_build`), in one process, as one worker would (production settings of bench/env.sh, BENCH-U).
Their pages are ended first, as the announcement ends them (their generation renewed).

`--after-emptying`: the same students' pages built again by the beat job after the cache lost them
(attestation/core/pages_rebuild.py): their results announced just now, the cache of BENCH_BROKER_URL's Redis database
emptied (a Redis restarted without its data), then one run of the job, whose tasks run in this process
(CELERY_TASK_ALWAYS_EAGER=1, as one worker would run them): the job's reads, then the announcement's task. It moves
the students' announcement to now: a bench database only.

Usage: .venv/bin/python bench/build_ahead.py [students]   — prints one RESULT line
       CELERY_TASK_ALWAYS_EAGER=1 .venv/bin/python bench/build_ahead.py --after-emptying [students]
"""

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.utils import timezone  # noqa: E402

from appeals.pages_ahead import PAGES, student_pages_build  # noqa: E402
from attestation.core.pages_rebuild import pages_rebuild  # noqa: E402
from attestation.core.student_pages import student_pages_changed  # noqa: E402
from commissions.models import Result  # noqa: E402


def _timed(run: Callable[[], int | None]) -> tuple[int | None, float, float]:
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    done = run()
    return done, time.perf_counter() - start_wall, time.process_time() - start_cpu


def _announced_and_emptied(ids: list[int]) -> Callable[[], int | None]:
    """The students' results announced now and the cache emptied; the job's run."""
    assert settings.CELERY_TASK_ALWAYS_EAGER and settings.SHARED_CACHE, "CELERY_TASK_ALWAYS_EAGER=1 and a Redis cache"
    Result.objects.filter(slot__student__user_id__in=ids, announced_at__isnull=False).update(announced_at=timezone.now())
    cache.clear()
    return lambda: pages_rebuild(now=timezone.now())


def _ended(ids: list[int]) -> Callable[[], int | None]:
    """The students' pages ended, as the announcement does; the announcement's building."""
    for user_id in ids:
        student_pages_changed(user_id)
    return lambda: student_pages_build(user_ids=ids)


def main() -> None:
    after_emptying = "--after-emptying" in sys.argv
    numbers = [arg for arg in sys.argv[1:] if arg != "--after-emptying"]
    n = int(numbers[0]) if numbers else 1000
    # The students of var/bench/students.txt (bench_sessions: the first N users named bench-s…, by id).
    ids = list(
        get_user_model().objects.filter(username__startswith="bench-s").order_by("pk").values_list("pk", flat=True)[:n]
    )
    done, wall, cpu = _timed((_announced_and_emptied if after_emptying else _ended)(ids))
    what = f"sent={done}" if after_emptying else f"pages={done} of {len(ids) * len(PAGES)}"
    print(
        f"RESULT students={len(ids)} {what} seconds={wall:.2f} "
        f"per_100_students={wall / len(ids) * 100:.2f}s cpu_per_100={cpu / len(ids) * 100:.2f}s"
    )


if __name__ == "__main__":
    main()

"""What one request of each load scenario costs inside Django: queries, CPU time of the Python process, wall time.

Unlike wrk's throughput, the query count does not depend on what else runs on the machine, and the CPU time much
less than wall time: these figures show where a page's time goes, and that a fix removed work rather than that the
machine happened to be quieter. The requests go through the whole middleware stack with the Django test client
(production settings of bench/env.sh, the BENCH-U data set), each as another student, like the load run.
Each person's second visit is measured (the first warms templates, translations and what the portal caches); with
--first, each person's first visit after their pages were ended as an announcement ends them (their generation
renewed: the page and the results table are built again; the session and the person are still cached, as for a
student who was on the portal when the results came), i.e. a miss; with --built, the same first visit after the
pages were built ahead as the announcement's task builds them (appeals/pages_ahead.py: results and schedule; the
exam poll is not built by an announcement, so its figure is a miss); with --cold, the first visit after the
whole shared cache was emptied, as the cold round of bench/student_pages.sh starts (every session, person,
generation and page read from the database or built again: a miss that also reads the session and the person).
The degree vote is not measured here: it writes (bench/vote_burst.py measures it over HTTP).

Usage: .venv/bin/python bench/page_cost.py [requests per page] [--first | --built | --cold]   — one RESULT line per page
"""

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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from appeals.pages_ahead import student_pages_build  # noqa: E402
from attestation.core.student_pages import student_pages_changed  # noqa: E402
from portal.management.commands.bench_sessions import session_cookie, waiting_exam_paths  # noqa: E402

CLIENT = None  # one client, one handler (a new test client would load the middleware, and WhiteNoise, again)


def people(prefix: str, count: int) -> list[tuple[str, object]]:
    """A logged-in session cookie for each of the first `count` users named PREFIX…"""
    users = get_user_model().objects.filter(username__startswith=prefix).order_by("pk")[:count]
    return [(session_cookie(user).split("=", 1)[1], user) for user in users]


def get(session_key: str | None, path: str) -> int:
    CLIENT.cookies.clear()
    if session_key:
        CLIENT.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return CLIENT.get(path).status_code


MODE = "second"  # or "first" (a miss), "built" (the first visit after the pages were built ahead), "cold"


def end_pages(user_ids: list[int]) -> None:
    """As an announcement does: every page of the people is built again on their next visit; with --built, built
    ahead now as the announcement's task builds them."""
    if MODE == "cold":  # only the portal's keys, as bench/student_pages.sh empties it
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:*"):
            client.delete(key)
        return
    for user_id in user_ids:
        student_pages_changed(user_id)  # no transaction here: renewed at once
    if MODE == "built":
        student_pages_build(user_ids=user_ids)


def measure(name: str, requests: list[tuple[str | None, str]], user_ids: list[int] | None = None) -> str:
    for session_key, path in requests:  # warm templates and translations; what is measured is each one's refresh
        get(session_key, path)
    if MODE != "second" and user_ids:
        end_pages(user_ids)
    queries, cpu, wall = [], [], []
    for session_key, path in requests:
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            status = get(session_key, path)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
        queries.append(len(captured.captured_queries))
        assert status == 200, (name, path, status)
    return (
        f"RESULT {name} requests={len(requests)} queries={statistics.median(queries):.0f} "
        f"cpu_ms={statistics.median(cpu):.2f} wall_ms={statistics.median(wall):.2f}"
    )


def parse_args(args: list[str]) -> int:
    """The number of requests per page; sets MODE from --first / --built."""
    global MODE
    for flag in ("--first", "--built", "--cold"):
        if flag in args:
            MODE = flag[2:]
            args = [a for a in args if a != flag]
    return int(args[0]) if args else 200


def main() -> None:
    global CLIENT
    n = parse_args(sys.argv[1:])
    CLIENT = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    students, waiting = people("bench-s", n), people("bench-w", n)
    paths = waiting_exam_paths([user for _key, user in waiting])
    student_ids, waiting_ids = [user.pk for _key, user in students], [user.pk for _key, user in waiting]
    for line in (
        measure("baseline", [(None, "/ping/")] * n),
        measure("results_page", [(key, "/appeals/my/") for key, _user in students], student_ids),
        measure("schedule_page", [(key, "/my/schedule/") for key, _user in students], student_ids),
        measure("exam_status_poll", [(key, paths[user.pk]) for key, user in waiting], waiting_ids),
    ):
        print(line)


if __name__ == "__main__":
    main()

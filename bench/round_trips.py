"""The round trips of one request of each student page: every SQL query and every Redis command (a pipeline counts
once), listed for one student's visit and counted over several, in-process (the Django test client, the production
settings of bench/env.sh, the BENCH-U data set, as bench/page_cost.py).

--cold: each visit the first after the whole shared cache was emptied (bench/student_pages.sh's cold round: the
session, the person and the page generations missing too); --first: after the person's pages were ended (session and
person cached); default: a refresh.

Usage: .venv/bin/python bench/round_trips.py [visits per page] [--cold | --first]
"""

import os
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import page_cost  # noqa: E402  (sets Django up)
import redis.client  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TRIPS: list[str] = []
_execute_command, _pipeline_execute = redis.client.Redis.execute_command, redis.client.Pipeline.execute


def _command(self, *args, **options):
    TRIPS.append(" ".join(str(a)[:40] for a in args[:2]))
    return _execute_command(self, *args, **options)


def _pipeline(self, *args, **kwargs):
    TRIPS.append("PIPELINE " + " ".join(str(c[0][0]) for c in self.command_stack))
    return _pipeline_execute(self, *args, **kwargs)


def main() -> None:
    n = page_cost.parse_args(sys.argv[1:])
    page_cost.CLIENT = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    students, waiting = page_cost.people("bench-s", n), page_cost.people("bench-w", n)
    paths = page_cost.waiting_exam_paths([user for _key, user in waiting])
    pages = {
        "results_page": ([(key, "/appeals/my/") for key, _user in students], [u.pk for _k, u in students]),
        "schedule_page": ([(key, "/my/schedule/") for key, _user in students], [u.pk for _k, u in students]),
        "exam_status_poll": ([(key, paths[u.pk]) for key, u in waiting], [u.pk for _k, u in waiting]),
    }
    redis.client.Redis.execute_command, redis.client.Pipeline.execute = _command, _pipeline
    for name, (requests, user_ids) in pages.items():
        for session_key, path in requests:
            page_cost.get(session_key, path)
        if page_cost.MODE != "second":
            page_cost.end_pages(user_ids)
        counts, queries = [], []
        for i, (session_key, path) in enumerate(requests):
            TRIPS.clear()
            with CaptureQueriesContext(connection) as captured:
                assert page_cost.get(session_key, path) == 200
            counts.append(len(TRIPS))
            queries.append(len(captured.captured_queries))
            if i == 0:
                print(f"== {name} ({page_cost.MODE}), one visit:")
                for query in captured.captured_queries:
                    print("  SQL  ", query["sql"][:150])
                for trip in TRIPS:
                    print("  REDIS", trip)
        print(
            f"RESULT {name} visits={len(requests)} sql_median={statistics.median(queries):.0f} "
            f"redis_median={statistics.median(counts):.0f} redis_counts={dict(Counter(counts))}"
        )


if __name__ == "__main__":
    main()

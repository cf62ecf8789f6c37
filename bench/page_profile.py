"""Where one request's CPU goes, per page of the load run: session, user, middleware, view, template, SQL.
Each person's second visit is measured, as in bench/page_cost.py (the first fills the caches).

bench/page_cost.py gives the total per page; this splits it. Each part is timed with the process's CPU clock around
the functions that do it (exclusive: a part timed inside another counts once, in the inner part), through the whole
middleware stack with the Django test client and the production settings of bench/env.sh, as page_cost.py does.
"rest" is what no part claims: the middleware's own work, URL resolving, the handler and the test client.
For a function-level view run cProfile on the same requests: `--cprofile PAGE` prints the top of the profile.

With --first (or --built), each person's first visit after their pages were ended (or built ahead), as
bench/page_cost.py measures it.

Usage: .venv/bin/python bench/page_profile.py [requests per page] [--first | --built | --cold] [--cprofile results_page]
  (PROFILE_SORT=tottime, PROFILE_LINES=N for the profile)
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import page_cost  # noqa: E402  (sets Django up)
from django import template  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import auth  # noqa: E402
from django.core.handlers import base as handlers  # noqa: E402
from django.db.backends import utils as db_utils  # noqa: E402
from django.template import loader, loader_tags  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
STACK: list[list] = []  # [part, started, time claimed by inner parts]


def timed(part: str, func):
    def wrapper(*args, **kwargs):
        STACK.append([part, time.process_time(), 0.0])
        try:
            return func(*args, **kwargs)
        finally:
            name, started, inner = STACK.pop()
            elapsed = time.process_time() - started
            SPENT[name] += elapsed - inner
            if STACK:
                STACK[-1][2] += elapsed

    return wrapper


def block_render(func):
    """The page's own {% block content %}, apart from the layout around it."""
    content = timed("template: the page's content block", func)
    return lambda node, context: (content if node.name == "content" else func)(node, context)


def instrument() -> None:
    handlers.BaseHandler._get_response = timed("view: selectors, ORM, Python", handlers.BaseHandler._get_response)
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    store.load = timed("session: load", store.load)
    auth.get_user = timed("user: load and check", auth.get_user)
    loader.render_to_string = timed("template: layout, menu, includes", loader.render_to_string)
    loader_tags.BlockNode.render = block_render(loader_tags.BlockNode.render)
    db_utils.CursorWrapper._execute = timed("SQL: driver and server", db_utils.CursorWrapper._execute)
    template.context.RequestContext.bind_template = timed(
        "template: context processors", template.context.RequestContext.bind_template
    )


def run(name: str, requests: list[tuple[str | None, str]], user_ids: list[int] | None = None) -> None:
    for key, path in requests:  # each person's second visit, as page_cost.py measures (the first fills the caches)
        page_cost.get(key, path)
    if page_cost.MODE != "second" and user_ids:
        page_cost.end_pages(user_ids)
    SPENT.clear()
    totals = []
    for key, path in requests:
        start = time.process_time()
        page_cost.get(key, path)
        totals.append(time.process_time() - start)
    total = sum(totals)
    n = len(requests)
    claimed = sum(SPENT.values())
    print(
        f"{name}: {n} requests, CPU per request median {statistics.median(totals) * 1000:.2f} ms, "
        f"mean {total / n * 1000:.2f} ms"
    )
    for part, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"  {part:42s} {spent / n * 1000:6.2f} ms  {spent / total * 100:5.1f} %")
    rest = total - claimed
    print(f"  {'rest: middleware, URLs, handler, client':42s} {rest / n * 1000:6.2f} ms  {rest / total * 100:5.1f} %")


def main() -> None:
    args = sys.argv[1:]
    profile_page = None
    if "--cprofile" in args:
        profile_page = args[args.index("--cprofile") + 1]
        del args[args.index("--cprofile") : args.index("--cprofile") + 2]
    n = page_cost.parse_args(args)
    page_cost.CLIENT = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    students, waiting = page_cost.people("bench-s", n), page_cost.people("bench-w", n)
    paths = page_cost.waiting_exam_paths([user for _key, user in waiting])
    pages = {
        "baseline": [(None, "/ping/")] * n,
        "results_page": [(key, "/appeals/my/") for key, _user in students],
        "schedule_page": [(key, "/my/schedule/") for key, _user in students],
        "exam_status_poll": [(key, paths[user.pk]) for key, user in waiting],
    }
    ids = {
        "results_page": [user.pk for _key, user in students],
        "schedule_page": [user.pk for _key, user in students],
        "exam_status_poll": [user.pk for _key, user in waiting],
    }
    if profile_page:
        for key, path in pages[profile_page]:  # each person's second visit is profiled (or, --first, a miss)
            page_cost.get(key, path)
        if page_cost.MODE != "second" and profile_page in ids:
            page_cost.end_pages(ids[profile_page])
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(lambda: [page_cost.get(key, path) for key, path in pages[profile_page]])
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("PROFILE_LINES", 60)))
        return
    instrument()
    for name, requests in pages.items():
        run(name, requests, ids.get(name))


if __name__ == "__main__":
    main()

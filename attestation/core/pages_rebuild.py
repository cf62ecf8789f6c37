"""The pages built ahead built again after the shared cache lost them (Redis restarted without its data, flushed,
moved): nothing else would, and every student's next visit of a page just announced or published would be a cold
build (bench: p95 404 ms against 90 ms built, at 200 connections).

The beat job (`attestation.core.tasks.pages_rebuild_task`, every PAGES_REBUILD_SECONDS) reads one key, the SENTINEL,
which it writes itself after each rebuild and which lives as long as the cache keeps its keys: found, the cache
still holds what was built, and the job does nothing else. Missing (an emptied cache, or the first run), the job
asks each registered source (`rebuilt_when_emptied`: appeals/pages_ahead.py for the results just announced,
commissions/pages_ahead.py for the timetables just published) for the items still hot and sends them, in batches of
BATCH, to the same build task the announcement or the publication sends them to; then it writes the SENTINEL. So a
worker or a beat that was down catches up at its next run: the sentinel is written only once everything is sent.

"Still hot" is what would still be stored had the cache not been emptied: a built page lives at most PAGE_SECONDS
(attestation/core/student_pages.py), so only what was announced or published within the last PAGE_SECONDS is built
again; anything older had ended anyway, and building it again would spend the worker on pages nobody opens before
they end. The exam poll is not built again: it is built when an attempt comes to wait, and the next poll builds it.

Two runs at once (two beats, a late message) send the work once: a run claims the rebuild with `cache.add` (a lock
that ends by itself after LOCK_SECONDS if the run dies) and asks for the sentinel again under it. Sending twice
would do no harm anyway: a page is built under the generation it read before the person (pages_ahead.page_build),
and a student whose data changed in between (an amended grade) has a new generation, under which a page built from
the old rows is never served. Without a shared cache (the embedded default: a per-process cache, or none) nothing
is built ahead, so the job does nothing and returns None.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache

from attestation.core.queue import queue_now
from attestation.core.student_pages import PAGE_SECONDS

SENTINEL = "pages-ahead:kept"
LOCK = "pages-ahead:rebuilding"
LOCK_SECONDS = 120  # sending takes a second; a run that died leaves the rebuild to the run after this
BATCH = 200  # items per task: a worker builds 100 students' two pages in ~3 s (docs/performance.md)

# What is still hot since a moment: the items (people, slots) a build task takes; the task's name.
Hot = Callable[[dt.datetime], Iterable[int]]
_SOURCES: list[tuple[str, Hot]] = []


def rebuilt_when_emptied(task_name: str) -> Callable[[Hot], Hot]:
    """Registers a function that, given a moment, returns the items whose pages were built ahead since it (sent to
    `task_name` when they were): the job sends them to it again after the cache was emptied."""

    def register(hot: Hot) -> Hot:
        if (task_name, hot) not in _SOURCES:
            _SOURCES.append((task_name, hot))
        return hot

    return register


def pages_rebuild(*, now: dt.datetime) -> int | None:
    """If the shared cache lost what was built ahead (no SENTINEL), sends what is still hot to its build task, in
    batches, and writes the SENTINEL; the number of items sent, or None: the cache still holds them, another run is
    sending them, or there is no shared cache."""
    if not settings.SHARED_CACHE or cache.get(SENTINEL) is not None:
        return None
    if not cache.add(LOCK, now.isoformat(), LOCK_SECONDS):
        return None
    try:
        if cache.get(SENTINEL) is not None:  # a run that held the lock until just now sent them
            return None
        sent = sum(_send(task_name, hot(now - dt.timedelta(seconds=PAGE_SECONDS))) for task_name, hot in _SOURCES)
        cache.set(SENTINEL, now.isoformat(), None)
        return sent
    finally:
        cache.delete(LOCK)


def _send(task_name: str, items: Iterable[int]) -> int:
    ordered = sorted(set(items))
    for start in range(0, len(ordered), BATCH):
        queue_now(task_name, ordered[start : start + BATCH])
    return len(ordered)

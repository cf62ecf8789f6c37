"""The student's results table, rendered once and served from the shared cache until something on it changes.

At an announcement every student of a programme opens the page in the same minute; each of them gets the table
built for them alone (the cache key holds their user id, the page's language and time zone). What may change it:
- the student's own results and appeals (announced, amended by an appeal, an appeal filed or answered): their
  generation is renewed (`student_results_changed`), from the model signals and the announcement's signal;
- what decides the table of the students with a slot in one sitting, commission or institution (a sitting's date, a
  commission's name, the policy's appeal window, the institution's own calendar days, its time zone): those students'
  generations (commissions/page_hooks.py, appeals/hooks.py); a national calendar decree, every student's
  (`all_results_changed`);
- time: an open appeal window closes, so the table lives at most until the first open window on it closes.
A stored table carries the generations it was built under and counts only while both are still current: the same
generations as every cached page of the student (attestation/core/student_pages.py), which the whole results page is
also cached under. They are read before the database, and renewed both at once and after the transaction commits: a
request that read the rows before a change committed stores its table under the old generation, which nobody reads
again.
Only with a shared cache (settings.SHARED_CACHE): a per-process copy could not be ended from another process.
"""

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from attestation.core.student_pages import PAGE_SECONDS, all_student_pages_changed, generation, student_pages_changed

# At most this long, even when nothing changes (a safety net: every change ends it at once).
TABLE_SECONDS = PAGE_SECONDS


def _table_key(user_id: int) -> str:
    return f"results-table:{user_id}:{translation.get_language()}:{timezone.get_current_timezone_name()}"


def student_results_changed(user_id: int | None) -> None:
    """The student's results page is built again on their next visit (with their other cached pages)."""
    student_pages_changed(user_id)


def all_results_changed() -> None:
    """Every student's results page is built again: a national calendar decree moves every appeal window."""
    all_student_pages_changed()


def seconds_to_live(closes: list[dt.datetime | None], now: dt.datetime) -> int:
    """Until the first appeal window still open on the table closes, at most TABLE_SECONDS."""
    left = [(moment - now).total_seconds() for moment in closes if moment is not None and moment > now]
    return max(1, int(min([TABLE_SECONDS, *left])))


def results_table(*, user_id: int, build: Callable[[], tuple[str, bool, int]]) -> tuple[str, bool, int]:
    """The student's table (html, whether they have results, seconds it may still be shown) from the cache, or
    `build()` = (html, has results, seconds it may live) stored for the next visit."""
    if not settings.SHARED_CACHE:
        return build()
    table_key = _table_key(user_id)
    current, found = generation(user_id, table_key)
    stored = found.get(table_key)
    if stored is not None and stored[0] == current and stored[3] > time.time() + 1:
        html = mark_safe(stored[1])  # noqa: S308 - our own template's output, stored as rendered
        return html, stored[2], int(stored[3] - time.time())
    html, has_results, seconds = build()
    cache.set(table_key, (current, html, has_results, time.time() + seconds), seconds)
    return html, has_results, seconds

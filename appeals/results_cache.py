"""The student's results table, rendered once and served from the shared cache until something on it changes.

At an announcement every student of a programme opens the page in the same minute; each of them gets the table
built for them alone (the cache key holds their user id, the page's language and time zone). What may change it:
- the student's own results and appeals (announced, amended by an appeal, an appeal filed or answered): their
  generation is renewed (`student_results_changed`), from the model signals and the announcement's signal;
- what every page shows (a commission's name, a sitting's date, the policy's appeal window, the calendar, an
  institution's time zone): the generation of all pages is renewed (`all_results_changed`);
- time: an open appeal window closes, so the table lives at most until the first open window on it closes.
A stored table carries the generations it was built under and counts only while both are still current. They are
read before the database, and renewed both at once and after the transaction commits: a request that read the rows
before a change committed stores its table under the old generation, which nobody reads again.
Only with a shared cache (settings.SHARED_CACHE): a per-process copy could not be ended from another process.
"""

import datetime as dt
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

# At most this long, even when nothing changes (a safety net: every change ends it at once).
TABLE_SECONDS = 600
_ALL = "results-gen:all"


def _student_gen_key(user_id: int) -> str:
    return f"results-gen:{user_id}"


def _table_key(user_id: int) -> str:
    return f"results-table:{user_id}:{translation.get_language()}:{timezone.get_current_timezone_name()}"


def _renew(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)


def _renew_now_and_on_commit(key: str) -> None:
    if not settings.SHARED_CACHE:
        return
    _renew(key)
    transaction.on_commit(lambda: _renew(key))


def student_results_changed(user_id: int | None) -> None:
    """The student's results page is built again on their next visit."""
    if user_id is not None:
        _renew_now_and_on_commit(_student_gen_key(user_id))


def all_results_changed() -> None:
    """Every student's results page is built again (something every page shows has changed)."""
    _renew_now_and_on_commit(_ALL)


def _current_generation(found: dict, key: str) -> str:
    if key not in found:
        cache.add(key, uuid.uuid4().hex, None)
        found[key] = cache.get(key)
    return found[key]


def seconds_to_live(closes: list[dt.datetime | None], now: dt.datetime) -> int:
    """Until the first appeal window still open on the table closes, at most TABLE_SECONDS."""
    left = [(moment - now).total_seconds() for moment in closes if moment is not None and moment > now]
    return max(1, int(min([TABLE_SECONDS, *left])))


def results_table(*, user_id: int, build: Callable[[], tuple[str, bool, int]]) -> tuple[str, bool]:
    """The student's table (html, whether they have results) from the cache, or `build()` = (html, has results,
    seconds it may live) stored for the next visit."""
    if not settings.SHARED_CACHE:
        html, has_results, _seconds = build()
        return html, has_results
    student_key, table_key = _student_gen_key(user_id), _table_key(user_id)
    found = cache.get_many([_ALL, student_key, table_key])
    generation = (_current_generation(found, _ALL), _current_generation(found, student_key))
    stored = found.get(table_key)
    if stored is not None and stored[0] == generation:
        return mark_safe(stored[1]), stored[2]  # noqa: S308 - our own template's output, stored as rendered
    html, has_results, seconds = build()
    cache.set(table_key, (generation, html, has_results), seconds)
    return html, has_results

"""What ends a student's cached results page, and how long it may live (the page itself is cached whole by
attestation/core/student_pages.py, under the student's generations).

What may change it:
- the student's own results and appeals (announced, amended by an appeal, an appeal filed or answered): their
  generation is renewed (`student_results_changed`), from the model signals and the announcement's signal;
- what decides the page of the students with a slot in one sitting, commission or institution (a sitting's date, a
  commission's name, the policy's appeal window, the institution's own calendar days, its time zone): those students'
  generations (commissions/page_hooks.py, appeals/hooks.py); a national calendar decree, every student's
  (`all_results_changed`);
- time: an open appeal window closes, so the page lives at most until the first open window on it closes
  (`seconds_to_live`).
The results table was also cached on its own, under the same generations, until the whole page was: on a miss it
cost a second lookup and a second store for nothing, since whatever ended the page ended the table too (issue 18).
"""

import datetime as dt

from attestation.core.student_pages import PAGE_SECONDS, all_student_pages_changed, student_pages_changed

# At most this long, even when nothing changes (a safety net: every change ends it at once).
TABLE_SECONDS = PAGE_SECONDS


def student_results_changed(user_id: int | None) -> None:
    """The student's results page is built again on their next visit (with their other cached pages)."""
    student_pages_changed(user_id)


def all_results_changed() -> None:
    """Every student's results page is built again: a national calendar decree moves every appeal window."""
    all_student_pages_changed()


def seconds_to_live(closes: list[dt.datetime | None], now: dt.datetime) -> int:
    """Until the first appeal window still open on the page closes, at most TABLE_SECONDS."""
    left = [(moment - now).total_seconds() for moment in closes if moment is not None and moment > now]
    return max(1, int(min([TABLE_SECONDS, *left])))

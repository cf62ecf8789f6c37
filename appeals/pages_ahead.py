"""The results page and the schedule of the students whose results were just announced or amended, built ahead as
each of them (attestation/core/pages_ahead.py): in the minute after an announcement every student of the sitting
opens them, and their first visit is then served from the shared cache instead of building the page itself.

Both pages end with the student's generation, which the announcement and the amendment renew (hooks.py). One task
per transaction builds every student it announced (`queue_batch_after_commit`): a sitting's results are announced in
one go, and the task is sent once the announcement has committed, so it reads what the students will see.
If the shared cache loses them while they would still be stored (the results announced in the last PAGE_SECONDS),
the beat job builds them again through the same task (`announced_since`, attestation/core/pages_rebuild.py).
Only with settings.SHARED_CACHE: a page built in the worker must be found by the web processes.
"""

import datetime as dt

from django.urls import reverse

from attestation.core.pages_ahead import build_after_commit, page_build
from attestation.core.pages_rebuild import rebuilt_when_emptied
from commissions.models import Result

BUILD_TASK = "appeals.tasks.student_pages_build_task"
# The results page first: it is the one every student opens at the announcement.
PAGES = ("appeals:my_results", "commissions:my_schedule")


def student_pages_build_after_commit(user_id: int | None) -> None:
    """The student's pages are built ahead once the transaction commits, in one task with the others it announced."""
    build_after_commit(BUILD_TASK, user_id)


def student_pages_build(*, user_ids: list[int]) -> int:
    """Builds each student's results page, then each one's schedule, as that student (their language, their
    institution's time zone, the views' own checks) and stores them for their first visit; the number of pages
    built. A page changed while it was being built is stored under the old generation, which nobody reads."""
    built = 0
    for name in PAGES:
        path = reverse(name)
        built += sum(page_build(user_id=user_id, path=path) == 200 for user_id in user_ids)
    return built


@rebuilt_when_emptied(BUILD_TASK)
def announced_since(since: dt.datetime) -> list[int]:
    """The students whose results were announced since `since` (their pages built ahead then)."""
    announced = Result.objects.filter(announced_at__gte=since, slot__student__user__isnull=False)
    return list(announced.values_list("slot__student__user_id", flat=True).distinct())

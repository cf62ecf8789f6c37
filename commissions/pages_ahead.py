"""The schedule of the students a new or changed timetable places, built ahead as each of them
(attestation/core/pages_ahead.py): a published timetable and a rescheduled place are told to each student with a
link to "My schedule" (planning/services.py:_tell), and each opens it in the minutes after; their first visit is
then served from the shared cache instead of building the page itself (issue 18).

The publication ends the schedules it changes (a slot saved ends its student's pages, a sitting every student's:
page_hooks.py). One task per transaction builds every student it told (`queue_batch_after_commit`), sent once the
transaction has committed and after the renewals its own saves registered, so it reads what the students will see.
If the shared cache loses them while they would still be stored (the timetables published in the last
PAGE_SECONDS), the beat job builds them again through the same task (`published_since`,
attestation/core/pages_rebuild.py): the students placed in the commission's sittings not yet held.
Only with settings.SHARED_CACHE: a page built in the worker must be found by the web processes.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from attestation.core.pages_ahead import build_after_commit, page_build
from attestation.core.pages_rebuild import rebuilt_when_emptied
from commissions.models import Slot

BUILD_TASK = "commissions.tasks.schedule_build_task"


def schedule_build_after_commit(user_id: int | None) -> None:
    """The student's schedule is built ahead once the transaction commits, in one task with the others it told."""
    build_after_commit(BUILD_TASK, user_id)


def schedule_build(*, user_ids: list[int]) -> int:
    """Builds each student's schedule as that student and stores it for their first visit; the number built."""
    path = reverse("commissions:my_schedule")
    return sum(page_build(user_id=user_id, path=path) == 200 for user_id in user_ids)


@rebuilt_when_emptied(BUILD_TASK)
def published_since(since: dt.datetime) -> list[int]:
    """The students with a place in a sitting not yet held of a commission whose timetable was published since
    `since` (those it placed or moved had their schedule built ahead then; the others are few and cheap)."""
    placed = Slot.objects.filter(
        sitting__commission__plan__published_at__gte=since,
        sitting__date__gte=timezone.localdate(),  # today's too: some may be still to come
        student__user__isnull=False,
    )
    return list(placed.values_list("student__user_id", flat=True).distinct())

"""The schedule of the students a new or changed timetable places, built ahead as each of them
(attestation/core/pages_ahead.py): a published timetable and a rescheduled place are told to each student with a
link to "My schedule" (planning/services.py:_tell), and each opens it in the minutes after; their first visit is
then served from the shared cache instead of building the page itself (issue 18).

The publication ends the schedules it changes (a slot saved ends its student's pages, a sitting every student's:
page_hooks.py). One task per transaction builds every student it told (`queue_batch_after_commit`), sent once the
transaction has committed and after the renewals its own saves registered, so it reads what the students will see.
Only with settings.SHARED_CACHE: a page built in the worker must be found by the web processes.
"""

from django.urls import reverse

from attestation.core.pages_ahead import build_after_commit, page_build

BUILD_TASK = "commissions.tasks.schedule_build_task"


def schedule_build_after_commit(user_id: int | None) -> None:
    """The student's schedule is built ahead once the transaction commits, in one task with the others it told."""
    build_after_commit(BUILD_TASK, user_id)


def schedule_build(*, user_ids: list[int]) -> int:
    """Builds each student's schedule as that student and stores it for their first visit; the number built."""
    path = reverse("commissions:my_schedule")
    return sum(page_build(user_id=user_id, path=path) == 200 for user_id in user_ids)

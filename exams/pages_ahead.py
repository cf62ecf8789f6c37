"""The exam page's admission poll of a student whose attempt has just come to a waiting state (identified, or back to
scheduled), built ahead as the student (attestation/core/pages_ahead.py): the student's page polls every 2 s, and
the change ended the stored poll (exams/page_hooks.py), so the next poll would build it in the web process; the
worker builds it instead, and that poll is served from the shared cache.

Only the waiting states: what the page shows then has no clock, and only then does the view let it be stored
(exams/views.py:student_exam_status). One task per transaction (`queue_batch_after_commit`), sent once the
transition has committed and after the renewals it registered (the slot's status follows the attempt).
Only with settings.SHARED_CACHE: a page built in the worker must be found by the web processes.
"""

from django.urls import reverse

from attestation.core.pages_ahead import build_after_commit, page_build
from commissions.models import Slot

BUILD_TASK = "exams.tasks.exam_poll_build_task"


def exam_poll_build_after_commit(slot_id: int) -> None:
    """The poll of the slot's student is built ahead once the transaction commits."""
    build_after_commit(BUILD_TASK, slot_id)


def exam_poll_build(*, slot_ids: list[int]) -> int:
    """Builds the admission poll of each slot as its student and stores it for their next poll; the number stored
    or refused by nobody (a student who cannot log in, or a slot gone, gets nothing)."""
    owners = Slot.objects.filter(pk__in=slot_ids, student__user__isnull=False).values_list("pk", "student__user_id")
    paths = {pk: reverse("exams:student_status", args=[pk]) for pk, _user_id in owners}
    return sum(page_build(user_id=user_id, path=paths[pk]) == 200 for pk, user_id in owners)

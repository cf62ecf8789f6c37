"""Background work of exams: the admission poll built ahead."""

from celery import shared_task

from exams import pages_ahead


@shared_task(name=pages_ahead.BUILD_TASK)
def exam_poll_build_task(slot_ids: list[int]) -> int:
    """The admission polls of the students whose attempts came to a waiting state, built ahead for their next poll;
    nothing to retry: a poll not built is built by the student's own next poll."""
    return pages_ahead.exam_poll_build(slot_ids=slot_ids)

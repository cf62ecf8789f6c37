"""What the year end plugs into the layers below it (YearendConfig.ready() imports this module): the
accommodations the department records, read by the exam's timers (`exams.accommodations`) and by the timetable
planner (`commissions.planning.hooks`)."""

from commissions.planning import hooks as planning_hooks
from exams.accommodations import accommodation_reader
from exams.yearend.models import Accommodation


@accommodation_reader
def accommodation_of(student_id: int) -> Accommodation | None:
    return Accommodation.objects.filter(student_id=student_id).first()


def extra_minutes(student_ids: list[int], minutes: int) -> dict[int, int]:
    """Student id → the extra minutes of a timed part of `minutes` (students without an accommodation left out)."""
    rows = Accommodation.objects.filter(student_id__in=student_ids)
    return {row.student_id: row.extra_for(minutes) for row in rows}


planning_hooks.provide("extra_minutes", extra_minutes)

"""The accommodations the department records, read by the exam's timers through `exams.accommodations`."""

from exams.accommodations import accommodation_reader
from exams.yearend.models import Accommodation


@accommodation_reader
def accommodation_of(student_id: int) -> Accommodation | None:
    return Accommodation.objects.filter(student_id=student_id).first()

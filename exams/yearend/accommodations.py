"""How a student's accommodation changes the sitting: read by the timers (exams.services, exams.clocks)."""

from exams.yearend.models import Accommodation


def accommodation_of(student_id: int) -> Accommodation | None:
    return Accommodation.objects.filter(student_id=student_id).first()


def extra_minutes(student_id: int, minutes: int) -> int:
    """The minutes a timed part of `minutes` is lengthened by for this student (0 without an accommodation)."""
    accommodation = accommodation_of(student_id)
    return accommodation.extra_for(minutes) if accommodation else 0


def writes_instead_of_oral(student_id: int) -> bool:
    return Accommodation.objects.filter(student_id=student_id, written_instead_of_oral=True).exists()

"""A student's accommodation (000 §7) as the live exam reads it: extra time, a written form instead of an oral one.

The exam owns this small interface; the year-end app keeps the accommodations and plugs its reader in when the apps
are loaded (`exams.yearend.hooks`), so the exam never imports the app above it (docs/architecture.md).
"""

from collections.abc import Callable
from typing import Protocol


class Accommodation(Protocol):
    written_instead_of_oral: bool

    def extra_for(self, minutes: int) -> int: ...


Reader = Callable[[int], Accommodation | None]


def _nobody_has_one(student_id: int) -> None:
    return None


_reader: Reader = _nobody_has_one


def accommodation_reader(reader: Reader) -> Reader:
    """Registers the function that reads a student's accommodation (by the student's id; None without one)."""
    global _reader
    _reader = reader
    return reader


def accommodation_of(student_id: int) -> Accommodation | None:
    return _reader(student_id)


def extra_minutes(student_id: int, minutes: int) -> int:
    """The minutes a timed part of `minutes` is lengthened by for this student (0 without an accommodation)."""
    accommodation = accommodation_of(student_id)
    return accommodation.extra_for(minutes) if accommodation else 0


def writes_instead_of_oral(student_id: int) -> bool:
    accommodation = accommodation_of(student_id)
    return bool(accommodation and accommodation.written_instead_of_oral)

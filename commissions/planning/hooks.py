"""What the apps above commissions tell the planner about a student: the year end plugs in the accommodation's
extra time, the exams app whether the commission examines orally (R28), in their AppConfig.ready; the admission
check (R16) is the scheduling rule every placement goes through (commissions.extensions)."""

from collections.abc import Callable

from commissions.extensions import scheduling_refusal

_providers: dict[str, Callable] = {}


def provide(name: str, func: Callable) -> None:
    _providers[name] = func


def extra_minutes(student_ids: list[int], minutes: int) -> dict[int, int]:
    """Student id → extra minutes for a part of `minutes` (missing: none)."""
    func = _providers.get("extra_minutes")
    return func(student_ids, minutes) if func else {}


def is_oral(commission) -> bool:
    func = _providers.get("is_oral")
    return bool(func(commission)) if func else False


def refusal(student, commission) -> str | None:
    """Why the student may not be placed with this commission (not admitted to the defense), or None."""
    return scheduling_refusal(student=student, commission=commission)

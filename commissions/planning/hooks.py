"""What the apps above commissions tell the planner about a student: the exams app plugs in the accommodation's
extra time, whether the commission examines orally (R28) and the admission check (R16), in its AppConfig.ready."""

from collections.abc import Callable

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
    func = _providers.get("refusal")
    return func(student=student, commission=commission) if func else None

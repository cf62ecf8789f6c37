"""The exams app's answers to the timetable planner (commissions.planning.hooks): whether the commission examines
orally. The accommodation's extra time is the year end's answer (exams.yearend.hooks); the admission check is the
scheduling rule every placement goes through (commissions.extensions)."""

from commissions.models import Commission
from commissions.planning import hooks
from exams.models import ExamSettings


def is_oral(commission: Commission) -> bool:
    """Exams are oral unless the commission's settings say written; a defense has no ticket draw."""
    if commission.form == Commission.Form.DEFENSE:
        return False
    fmt = ExamSettings.objects.filter(commission=commission).values_list("exam_format", flat=True).first()
    return (fmt or ExamSettings.Format.ORAL) == ExamSettings.Format.ORAL


def register() -> None:
    hooks.provide("is_oral", is_oral)

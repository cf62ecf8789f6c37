"""The exams app's answers to the timetable planner (commissions.planning.hooks)."""

from commissions.models import Commission
from commissions.planning import hooks
from exams.admission.services import admission_refusal
from exams.models import ExamSettings
from exams.yearend.models import Accommodation


def extra_minutes(student_ids: list[int], minutes: int) -> dict[int, int]:
    rows = Accommodation.objects.filter(student_id__in=student_ids)
    return {row.student_id: row.extra_for(minutes) for row in rows}


def is_oral(commission: Commission) -> bool:
    """Exams are oral unless the commission's settings say written; a defense has no ticket draw."""
    if commission.form == Commission.Form.DEFENSE:
        return False
    fmt = ExamSettings.objects.filter(commission=commission).values_list("exam_format", flat=True).first()
    return (fmt or ExamSettings.Format.ORAL) == ExamSettings.Format.ORAL


def register() -> None:
    hooks.provide("extra_minutes", extra_minutes)
    hooks.provide("is_oral", is_oral)
    hooks.provide("refusal", admission_refusal)

"""Template tags for the hook panels: permission checks by name, never `if user == ...` in templates."""

from django import template
from django.utils import timezone

from commissions.models import Commission, Slot
from exams import permissions, programmes

register = template.Library()


@register.simple_tag
def exam_access(user, slot) -> dict:
    return {
        "own": permissions.is_own_slot(user, slot),
        "watch": permissions.can_watch_slot(user, slot),
        "run": permissions.can_run_sitting(user, slot.sitting),
    }


@register.simple_tag
def can_manage_programmes(user, commission) -> bool:
    return permissions.can_manage_programmes(user, commission)


@register.simple_tag
def can_edit_exam_settings(user, commission) -> bool:
    return permissions.can_edit_exam_settings(user, commission)


@register.simple_tag
def can_watch_commission_sittings(user, commission) -> bool:
    return permissions.can_watch_commission_sittings(user, commission)


@register.filter
def programme_warning(warning) -> str:
    """A kept R14 warning of an exam programme, in the page's language."""
    return programmes.warning_text(warning)


@register.simple_tag
def my_exam_slots(user) -> list:
    """The student's slots from today on, for the home page."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    return list(
        Slot.objects.filter(student__user=user, sitting__date__gte=today)
        .select_related("sitting__commission")
        .order_by("starts_at")[:5]
    )


@register.simple_tag
def headed_commissions(departments) -> list:
    if not departments:
        return []
    return list(
        Commission.objects.filter(programmes__department__in=departments)
        .distinct()
        .order_by("-academic_year", "name_kk")[:10]
    )


@register.simple_tag
def section_name(question, study_language: str = "") -> str:
    """A question's section as a ticket names it: the discipline in the ticket's language (the student's study
    language, or the page's), Russian where the discipline has no Kazakh name."""
    return question.section_in(programmes.ticket_language(study_language))

"""What the appeals app plugs into the layers below it (AppealsConfig.ready() imports this module)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from appeals import permissions
from appeals.models import Appeal, AppealCommission
from appeals.pages_ahead import student_pages_build_after_commit
from appeals.results_cache import all_results_changed, student_results_changed
from appeals.services import appeal_window_open
from attestation.institutions.models import Policy, Staff
from attestation.institutions.services import staff_rule
from attestation.workcal.models import CalendarOverride
from commissions.case_file import case_file_reader
from commissions.grading.signals import result_announced
from commissions.models import Result, Slot
from commissions.page_hooks import institution_pages_changed


@receiver(result_announced, dispatch_uid="appeals.open_window_on_announcement")
def open_window_on_announcement(sender, *, result, **kwargs) -> None:
    """An announced result can be appealed: its window's end becomes a deadline (R47)."""
    appeal_window_open(result=result)


@case_file_reader
def appeal_commission_reads_case_file(user, slot) -> bool:
    """The members of the appeal commission hearing an appeal on the slot open its records (R48); no one else gains
    access to answer sheets or videos through an appeal (R9)."""
    commissions = Appeal.objects.filter(result__slot=slot).values_list("appeal_commission_id", flat=True)
    return any(permissions.is_appeal_member(user, pk) for pk in commissions)


@receiver(result_announced, dispatch_uid="appeals.results_page_on_announcement")
def results_page_on_announcement(sender, *, result, **kwargs) -> None:
    """The student sees the announced result on their next visit of the results page, built ahead for it."""
    student_results_changed(result.slot.student.user_id)
    student_pages_build_after_commit(result.slot.student.user_id)  # one task for the whole announcement


@receiver(post_save, sender=Result, dispatch_uid="appeals.results_page_on_result_save")
@receiver(post_delete, sender=Result, dispatch_uid="appeals.results_page_on_result_delete")
def results_page_on_result_change(sender, instance: Result, **kwargs) -> None:
    """An announced result changed (an appeal's new grade, a correction): the student's page is built again, ahead
    of their visit. Results not yet announced are on no page."""
    if instance.announced_at is not None:
        user_id = Slot.objects.filter(pk=instance.slot_id).values_list("student__user_id", flat=True).first()
        student_results_changed(user_id)
        if kwargs.get("signal") is post_save:  # amended: built ahead again (a deleted result is on no page)
            student_pages_build_after_commit(user_id)


@receiver(post_save, sender=Appeal, dispatch_uid="appeals.results_page_on_appeal_save")
@receiver(post_delete, sender=Appeal, dispatch_uid="appeals.results_page_on_appeal_delete")
def results_page_on_appeal_change(sender, instance: Appeal, **kwargs) -> None:
    """The page shows the appeal and its state."""
    student_results_changed(
        Result.objects.filter(pk=instance.result_id).values_list("slot__student__user_id", flat=True).first()
    )


_INSTITUTION_BEFORE = "_pages_institution_before"


def _institution_before(sender, instance, **kwargs) -> None:
    """The institution a policy or a calendar day belonged to before this save (None: a national decree)."""
    row = sender.objects.filter(pk=instance.pk).values("institution_id").first() if instance.pk is not None else None
    setattr(instance, _INSTITUTION_BEFORE, row["institution_id"] if row is not None else instance.institution_id)


def _results_pages(sender, instance, **kwargs) -> None:
    """The policy's appeal window and public results, or a calendar day: deciding the results pages of the students
    with a slot in one of the institution's commissions (and in the one it belonged to before); a national decree
    (no institution) every student's. A commission, a sitting and an institution end their own students' pages:
    commissions/page_hooks.py."""
    institutions = {instance.institution_id, getattr(instance, _INSTITUTION_BEFORE, instance.institution_id)}
    if None in institutions:
        all_results_changed()
    for institution_id in institutions - {None}:
        institution_pages_changed(institution_id)


for _model in (Policy, CalendarOverride):
    pre_save.connect(_institution_before, sender=_model, dispatch_uid=f"appeals.results_pages.{_model.__name__}.pre")
    post_save.connect(_results_pages, sender=_model, dispatch_uid=f"appeals.results_pages.{_model.__name__}.save")
    post_delete.connect(_results_pages, sender=_model, dispatch_uid=f"appeals.results_pages.{_model.__name__}.del")


@staff_rule
def administrative_staff_sit_on_no_appeal_commission(staff: Staff) -> list[str]:
    """A person on an appeal commission of the institution cannot be made administrative staff (R8): the same
    rule the composition check applies when the commission is formed."""
    if not staff.is_administrative:
        return []
    sitting_on = AppealCommission.objects.filter(institution_id=staff.institution_id, members__user_id=staff.user_id)
    return [
        _("%(person)s sits on the appeal commission «%(commission)s»: administrative staff may not sit on one.")
        % {"person": staff.user, "commission": commission}
        for commission in sitting_on
    ]

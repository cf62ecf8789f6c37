"""What the appeals app plugs into the layers below it (AppealsConfig.ready() imports this module)."""

from django.db.models.signals import post_delete, post_save
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


def _all_results_pages(sender, **kwargs) -> None:
    """The policy's appeal window or the calendar: deciding every results page (a commission, a sitting and an
    institution end every student's pages: commissions/page_hooks.py)."""
    all_results_changed()


for _model in (Policy, CalendarOverride):
    post_save.connect(_all_results_pages, sender=_model, dispatch_uid=f"appeals.results_pages.{_model.__name__}.save")
    post_delete.connect(_all_results_pages, sender=_model, dispatch_uid=f"appeals.results_pages.{_model.__name__}.del")


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

"""What ends the cached pages of students (attestation/core/student_pages.py) among the commissions' rows
(CommissionsConfig.ready() imports this module): a slot ends its student's pages (the schedule, the exam poll), a
sitting, a commission or an institution every student's."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from attestation.core.student_pages import all_student_pages_changed, student_pages_changed
from attestation.institutions.models import Institution, Student
from commissions.models import Commission, Sitting, Slot


def slot_pages_changed(slot_id: int) -> None:
    """The pages of the slot's student, after a change made without the model's save (a bulk UPDATE)."""
    student_pages_changed(Slot.objects.filter(pk=slot_id).values_list("student__user_id", flat=True).first())


@receiver(pre_save, sender=Slot, dispatch_uid="commissions.student_pages_on_slot_move")
def student_pages_on_slot_move(sender, instance: Slot, update_fields=None, **kwargs) -> None:
    """A slot given to another student: the one who had it no longer sees it (their pages are built again)."""
    if instance.pk is not None and (update_fields is None or "student" in update_fields):
        slot_pages_changed(instance.pk)


@receiver(post_save, sender=Slot, dispatch_uid="commissions.student_pages_on_slot_save")
@receiver(post_delete, sender=Slot, dispatch_uid="commissions.student_pages_on_slot_delete")
def student_pages_on_slot_change(sender, instance: Slot, **kwargs) -> None:
    student_pages_changed(Student.objects.filter(pk=instance.student_id).values_list("user_id", flat=True).first())


@receiver(post_save, sender=Student, dispatch_uid="commissions.student_pages_on_student_save")
@receiver(post_delete, sender=Student, dispatch_uid="commissions.student_pages_on_student_delete")
def student_pages_on_student_change(sender, instance: Student, **kwargs) -> None:
    """The menu's "My schedule" link and the name on every page."""
    student_pages_changed(instance.user_id)


def _every_students_pages(sender, **kwargs) -> None:
    """A commission's name, a sitting's date, link or announcement call, an institution's time zone: on, or deciding,
    every student's page."""
    all_student_pages_changed()


for _model in (Commission, Sitting, Institution):
    post_save.connect(_every_students_pages, sender=_model, dispatch_uid=f"commissions.pages.{_model.__name__}.save")
    post_delete.connect(_every_students_pages, sender=_model, dispatch_uid=f"commissions.pages.{_model.__name__}.del")

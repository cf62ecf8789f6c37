"""What ends the cached exam poll of a student (attestation/core/student_pages.py): every save of their attempt —
identified, admitted, any other state — and the commission's exam settings (ExamsConfig.ready() imports this module)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from attestation.core.student_pages import all_student_pages_changed
from commissions.page_hooks import slot_pages_changed
from exams.models import Attempt, ExamSettings


@receiver(post_save, sender=Attempt, dispatch_uid="exams.student_pages_on_attempt_save")
@receiver(post_delete, sender=Attempt, dispatch_uid="exams.student_pages_on_attempt_delete")
def student_pages_on_attempt_change(sender, instance: Attempt, **kwargs) -> None:
    slot_pages_changed(instance.slot_id)


@receiver(post_save, sender=ExamSettings, dispatch_uid="exams.student_pages_on_exam_settings_save")
def student_pages_on_exam_settings_change(sender, instance: ExamSettings, **kwargs) -> None:
    """The exam's format (the schedule names a test) and the test's link and size (the exam poll) are on the pages of
    every student of the commission."""
    all_student_pages_changed()

"""What ends the cached exam poll of a student (attestation/core/student_pages.py): every save of their attempt —
identified, admitted, any other state (ExamsConfig.ready() imports this module)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from commissions.page_hooks import slot_pages_changed
from exams.models import Attempt


@receiver(post_save, sender=Attempt, dispatch_uid="exams.student_pages_on_attempt_save")
@receiver(post_delete, sender=Attempt, dispatch_uid="exams.student_pages_on_attempt_delete")
def student_pages_on_attempt_change(sender, instance: Attempt, **kwargs) -> None:
    slot_pages_changed(instance.slot_id)

"""What ends the cached exam poll of a student (attestation/core/student_pages.py), and what builds it again
(ExamsConfig.ready() imports this module):
- every save of their attempt — identified, admitted, any other state — ends their pages (and a move into a waiting
  state builds the poll again: exams/services.py:attempt_transition);
- the commission's exam settings: the schedule of each student with a slot in the commission names the exam's
  format, so a save that may change it (`SHOWN`: not one naming only other fields, the test's link say, which only the
  poll of a student writing the test shows, and that poll is never stored), its creation with a format the pages
  name and its delete end those students' pages (commissions/page_hooks.py:slots_pages_changed), and those of the
  commission it leaves;
- after a change of a sitting, a commission, an institution or the exam settings ended the pages of the students of
  some slots (`slot_pages_ended`), the polls of those still waiting (no attempt yet, or scheduled, identified:
  `states.WAITING`) in a sitting of these days are built again by the worker, after the renewals: on an exam day they
  poll every 2 s, and each would otherwise build its own.
"""

import datetime as dt

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from commissions.page_hooks import (
    commission_slots,
    shown_fields_saved,
    slot_pages_changed,
    slot_pages_ended,
    slots_pages_changed,
)
from exams import states
from exams.models import Attempt, ExamSettings
from exams.pages_ahead import exam_poll_build_after_commit

# What the students' cached pages show of the exam settings (the schedule's "_format.html").
SHOWN = frozenset({"exam_format", "commission"})
_COMMISSION_BEFORE = "_pages_commission_before"


@receiver(post_save, sender=Attempt, dispatch_uid="exams.student_pages_on_attempt_save")
@receiver(post_delete, sender=Attempt, dispatch_uid="exams.student_pages_on_attempt_delete")
def student_pages_on_attempt_change(sender, instance: Attempt, **kwargs) -> None:
    slot_pages_changed(instance.slot_id)


@receiver(pre_save, sender=ExamSettings, dispatch_uid="exams.student_pages_before_exam_settings_save")
def exam_settings_commission_before(sender, instance: ExamSettings, update_fields=None, **kwargs) -> None:
    """The commission the settings belonged to before this save (a move leaves its students without the format)."""
    if instance.pk is not None and shown_fields_saved(ExamSettings, SHOWN, update_fields):
        before = ExamSettings.objects.filter(pk=instance.pk).values_list("commission_id", flat=True).first()
        setattr(instance, _COMMISSION_BEFORE, before)


@receiver(post_save, sender=ExamSettings, dispatch_uid="exams.student_pages_on_exam_settings_save")
@receiver(post_delete, sender=ExamSettings, dispatch_uid="exams.student_pages_on_exam_settings_delete")
def student_pages_on_exam_settings_change(sender, instance: ExamSettings, update_fields=None, **kwargs) -> None:
    """The exam's format is on the schedule of every student of the commission. Settings created with a format the
    pages do not name (oral, written: the defaults, created when an attempt first needs them) show what none showed."""
    if not shown_fields_saved(ExamSettings, SHOWN, update_fields) or (
        kwargs.get("created") and not instance.is_named_format
    ):
        return
    before = getattr(instance, _COMMISSION_BEFORE, None)
    if before is not None and before != instance.commission_id:
        slots_pages_changed(commission_slots(before))
    slots_pages_changed(commission_slots(instance.commission_id))


@receiver(slot_pages_ended, dispatch_uid="exams.waiting_polls_built_again")
def waiting_polls_built_again(sender, slots, **kwargs) -> None:
    """The polls of the students still waiting in a sitting of these days (whatever the institution's zone), built
    ahead again once the change has committed."""
    today = timezone.now().date()
    waiting = slots.filter(
        Q(attempt__isnull=True) | Q(attempt__state__in=states.WAITING),
        sitting__date__range=(today - dt.timedelta(days=1), today + dt.timedelta(days=1)),
        student__user__isnull=False,
    )
    for slot_id in waiting.values_list("pk", flat=True):
        exam_poll_build_after_commit(slot_id)

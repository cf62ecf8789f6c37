"""What ends the cached pages of students (attestation/core/student_pages.py) among the commissions' rows and the
institutions' (CommissionsConfig.ready() imports this module), as narrowly as what the pages show of the row:
- a slot: its student's pages (the schedule, the exam poll), and the pages of the student who had it if it moves;
- a sitting: the pages of the students with a slot in it (its date, meeting link, announcement call, commission);
- a commission: of the students with a slot in one of its sittings (its name, form, year, institution);
- an institution: of the students with a slot in one of its commissions (its time zone and short name decide their
  results pages' appeal windows and links); `institution_pages_changed` is also what its policy and its own
  calendar days end (appeals/hooks.py). A student without a slot there sees nothing of the institution.
The people's own generations are renewed, all in one round trip (`students_pages_changed`), rather than a generation
per institution: the early lookup (StudentPageMiddleware) knows only what the session says, and a page would have to
read one more key for every sitting, commission and institution it shows.

A save that names its fields (`update_fields`) and none that a page shows (`SHOWN`) ends nothing: a sitting's hours
(`sitting_retime`: each slot has its own time), a commission's vote mode, quorum or honours thresholds. Every other
save does, and so does a delete (the students found before the rows go). Each change sends `slot_pages_ended` with
the slots whose students' pages it ended: the exam app builds the waiting students' polls again (exams/page_hooks.py).
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal, receiver

from attestation.core.student_pages import student_pages_changed, students_pages_changed
from attestation.institutions.models import Institution, Student
from commissions.models import Commission, Sitting, Slot

# Sent with `slots` (a queryset of Slot) once the pages of their students have been ended by a change of a sitting, a
# commission, an institution or what belongs to them.
slot_pages_ended = Signal()

# What the students' cached pages show of each row, or decides what they show (the schedule, the results page and
# its appeal windows, the waiting exam poll: their templates and selectors). A save naming none of these in its
# update_fields ends no page: a template that shows another field must add it here.
SHOWN = {
    Sitting: frozenset({"date", "meeting_url", "announcement_at", "announcement_url", "commission"}),
    Commission: frozenset({"name_kk", "name_ru", "name_en", "form", "academic_year", "institution"}),
    Institution: frozenset({"time_zone", "short_name"}),
}


def shown_fields_saved(model, shown: frozenset[str], update_fields: Iterable[str] | None) -> bool:
    """Whether a save may have changed what a student's page shows of the row (`shown`: its fields the pages show):
    any save but one naming only other fields (a foreign key may be named by its field or its column)."""
    if update_fields is None:
        return True
    return any(model._meta.get_field(name).name in shown for name in update_fields)


def slot_pages_changed(slot_id: int) -> None:
    """The pages of the slot's student, after a change made without the model's save (a bulk UPDATE)."""
    student_pages_changed(Slot.objects.filter(pk=slot_id).values_list("student__user_id", flat=True).first())


def slots_pages_changed(slots: QuerySet[Slot]) -> None:
    """The pages of every student with one of `slots`, now and again after the commit; then `slot_pages_ended`."""
    students_pages_changed(slots.values_list("student__user_id", flat=True).distinct())
    slot_pages_ended.send(sender=Slot, slots=slots)


def sitting_slots(sitting_id: int) -> QuerySet[Slot]:
    return Slot.objects.filter(sitting_id=sitting_id)


def commission_slots(commission_id: int) -> QuerySet[Slot]:
    return Slot.objects.filter(sitting__commission_id=commission_id)


def institution_slots(institution_id: int) -> QuerySet[Slot]:
    return Slot.objects.filter(sitting__commission__institution_id=institution_id)


def institution_pages_changed(institution_id: int) -> None:
    """The pages of the students with a slot in one of the institution's commissions: what decides their results
    pages' appeal windows (its time zone, policy, calendar days) or links has changed."""
    slots_pages_changed(institution_slots(institution_id))


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


_SLOTS_OF = {Sitting: sitting_slots, Commission: commission_slots, Institution: institution_slots}


def _pages_on_save(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A new sitting, commission or institution has no slot yet: it is on nobody's page."""
    if not created and shown_fields_saved(sender, SHOWN[sender], update_fields):
        slots_pages_changed(_SLOTS_OF[sender](instance.pk))


def _pages_on_delete(sender, instance, **kwargs) -> None:
    """Before the rows go: the students who had a slot (the slots deleted with it end their students' pages too)."""
    students_pages_changed(list(_SLOTS_OF[sender](instance.pk).values_list("student__user_id", flat=True).distinct()))


for _model in _SLOTS_OF:
    post_save.connect(_pages_on_save, sender=_model, dispatch_uid=f"commissions.pages.{_model.__name__}.save")
    pre_delete.connect(_pages_on_delete, sender=_model, dispatch_uid=f"commissions.pages.{_model.__name__}.del")

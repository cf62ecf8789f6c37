"""R12: the day before the sitting the secretary contacts each student and checks the connection.

A check is recorded with its result and any new contact details; a check that found the connection working marks
the slot "connection checked" (what the student's schedule shows). The console lists who is still not reached.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.collation import name_order, student_name_fields
from commissions.models import ConnectionCheck, Sitting, Slot
from commissions.page_hooks import slot_pages_changed
from commissions.permissions import can_check_connection

OPEN_STATUSES = (Slot.Status.SCHEDULED, Slot.Status.CONFIRMED)


@transaction.atomic
def connection_check_record(
    *, actor, slot: Slot, outcome: str, note: str = "", new_phone: str = "", new_email: str = ""
) -> ConnectionCheck:
    """The secretary (or the chair) records one call to the student before the student's attestation."""
    slot = Slot.objects.select_for_update().select_related("sitting__commission").get(pk=slot.pk)
    if not can_check_connection(actor, slot.sitting):
        raise PermissionDenied
    if slot.status not in OPEN_STATUSES:
        raise ValidationError(_("The student's attestation in this slot is over: the connection is no longer checked."))
    check = ConnectionCheck(
        slot=slot,
        outcome=outcome,
        note=note.strip(),
        new_phone=new_phone.strip(),
        new_email=new_email.strip(),
        checked_by=actor,
        checked_at=timezone.now(),
    )
    check.full_clean()
    check.save()
    if outcome == ConnectionCheck.Outcome.WORKS and slot.status == Slot.Status.SCHEDULED:
        Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.CONFIRMED)
        slot_pages_changed(slot.pk)  # the student's schedule shows the status
    audit_record(
        actor=actor,
        verb="connection_check.record",
        obj=slot,
        after={"outcome": outcome, "note": check.note, "new_phone": check.new_phone, "new_email": check.new_email},
    )
    return check


@dataclass
class CheckRow:
    slot: Slot
    last: ConnectionCheck | None
    history: list[ConnectionCheck]

    @property
    def reached(self) -> bool:
        return self.last is not None and self.last.outcome != ConnectionCheck.Outcome.NOT_REACHED

    @property
    def contact_phone(self) -> str:
        return next((c.new_phone for c in self.history if c.new_phone), "")

    @property
    def contact_email(self) -> str:
        return next((c.new_email for c in self.history if c.new_email), "") or self.slot.student.email


def sitting_checks(*, sitting: Sitting) -> list[CheckRow]:
    """Each student of the sitting with the calls made to them, newest first, in the page's alphabet: two queries."""
    checks = ConnectionCheck.objects.select_related("checked_by").order_by("-checked_at", "-pk")
    slots = (
        sitting.slots.select_related("student")
        .prefetch_related(Prefetch("connection_checks", queryset=checks))
        .order_by(*name_order(*(f"student__{f}" for f in student_name_fields())))
    )
    rows = []
    for slot in slots:
        history = list(slot.connection_checks.all())
        rows.append(CheckRow(slot=slot, last=history[0] if history else None, history=history))
    return rows


@dataclass
class NotReached:
    """Who the console names: called and not reached, and not called at all."""

    called: list[CheckRow]
    unchecked: list[CheckRow]

    def __bool__(self) -> bool:
        return bool(self.called or self.unchecked)


def not_reached(*, sitting: Sitting) -> NotReached:
    """The students still to be examined whose last call did not reach them, and those not called yet."""
    rows = [row for row in sitting_checks(sitting=sitting) if row.slot.status in OPEN_STATUSES and not row.reached]
    return NotReached(called=[r for r in rows if r.last], unchecked=[r for r in rows if not r.last])

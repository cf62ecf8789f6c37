"""Writes on the calendar: an institution's own days off and working days, and the decrees' transfers it enters."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.workcal.models import CalendarOverride


def _snapshot(row: CalendarOverride) -> dict:
    return {"date": row.date.isoformat(), "kind": row.kind, "note": row.note, "institution": row.institution_id}


def _set(*, actor, institution_id: int, day: dt.date, kind: str, note: str) -> CalendarOverride:
    row = CalendarOverride.objects.select_for_update().filter(institution_id=institution_id, date=day).first()
    before = _snapshot(row) if row else None
    row = row or CalendarOverride(institution_id=institution_id, date=day)
    row.kind, row.note = kind, note
    row.full_clean()
    row.save()
    audit_record(actor=actor, verb="calendar.set", obj=row, before=before, after=_snapshot(row))
    return row


@transaction.atomic
def calendar_day_set(
    *, actor, institution_id: int, day: dt.date, kind: str, note: str = "", paired_day: dt.date | None = None
) -> list[CalendarOverride]:
    """Makes `day` a day off or a working day for the institution (its own row wins over the national calendar).
    With `paired_day` it is a transfer, as the government decrees them: the other day gets the opposite kind."""
    if kind not in CalendarOverride.Kind.values:
        raise ValidationError({"kind": _("Choose a day off or a working day.")})
    if paired_day == day:
        raise ValidationError({"paired_day": _("A transfer moves a day to another date.")})
    rows = [_set(actor=actor, institution_id=institution_id, day=day, kind=kind, note=note)]
    if paired_day is not None:
        other = CalendarOverride.Kind.WORKING_DAY if kind == CalendarOverride.Kind.DAY_OFF else CalendarOverride.Kind.DAY_OFF
        rows.append(_set(actor=actor, institution_id=institution_id, day=paired_day, kind=other, note=note))
    return rows


@transaction.atomic
def calendar_day_remove(*, actor, row: CalendarOverride) -> None:
    """Removes the institution's own row: the day follows the national calendar again."""
    if row.institution_id is None:
        raise ValidationError(_("A national decree is kept by the portal's administrators."))
    audit_record(actor=actor, verb="calendar.remove", obj=row, before=_snapshot(row))
    row.delete()

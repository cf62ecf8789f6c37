"""Reads of the calendar for its page."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q

from attestation.workcal.calendar import national_days
from attestation.workcal.models import CalendarOverride


@dataclass(frozen=True)
class CalendarLine:
    """One day of the year that is not an ordinary weekday or weekend: what it is and where that comes from."""

    date: dt.date
    working: bool
    name: str
    source: str  # "law" (the holidays library), "decree" (a national row), "own" (the institution's row)
    row: CalendarOverride | None = None


def calendar_year(*, institution_id: int, year: int, language: str = "kk") -> list[CalendarLine]:
    """The year's holidays, the decrees' transfers and the institution's own days, in date order (its own day wins)."""
    holidays, weekend_workdays = national_days(year, language)
    lines = {day: CalendarLine(day, False, name, "law") for day, name in holidays.items()}
    lines.update({day: CalendarLine(day, True, "", "law") for day in weekend_workdays if day.year == year})
    rows = CalendarOverride.objects.filter(
        Q(institution__isnull=True) | Q(institution_id=institution_id), date__year=year
    ).order_by(F("institution_id").asc(nulls_first=True))  # national first, then the institution's own over it
    for row in rows:
        working = row.kind == CalendarOverride.Kind.WORKING_DAY
        # A national row's note is the shipped data's (English) reference: the page names it "government decree".
        note = row.note if row.institution_id else ""
        lines[row.date] = CalendarLine(row.date, working, note, "own" if row.institution_id else "decree", row)
    return sorted(lines.values(), key=lambda line: line.date)

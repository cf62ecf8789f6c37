"""The one place that answers "is this a working day" and "when do N working days from now end".

National holidays come from the `holidays` library (KZ, with the weekend-move rule and the decrees it knows);
CalendarOverride rows (national decrees published mid-year, an institution's own days) win over it.
"""

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Func, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import TruncDate

from attestation.core.prepared import PreparedQuery
from attestation.workcal.models import CalendarOverride


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


@lru_cache(maxsize=16)
def _named(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year, language=language)


def national_days(year: int, language: str = "kk") -> tuple[dict[dt.date, str], set[dt.date]]:
    """The national holidays of a year (date → name) and the weekend days the law makes working, as the library knows
    them (before CalendarOverride rows): for the calendar page. Names in Kazakh, or in English for an English page
    (the library has no Russian names)."""
    national = _named(year, "en_US" if language == "en" else "kk")
    return {day: str(name) for day, name in national.items()}, set(getattr(national, "weekend_workdays", set()))


def _library_says_working(day: dt.date) -> bool:
    national = _national(day.year)
    if day in national:
        return False
    if day in getattr(national, "weekend_workdays", set()):
        return True
    return day.weekday() < 5


def _national_overrides(start: dt.date, end: dt.date):
    return CalendarOverride.objects.filter(institution__isnull=True, date__range=(start, end)).values_list(
        "date", "kind", "institution_id"
    )


def _all_overrides(start: dt.date, end: dt.date, institution_id: int):
    scope = Q(institution__isnull=True) | Q(institution_id=institution_id)
    return CalendarOverride.objects.filter(scope, date__range=(start, end)).values_list("date", "kind", "institution_id")


# Built and compiled once per process (attestation/core/prepared.py): every results page built asks the calendar for
# its appeal windows, and building this small query cost more than running it (issue 18).
_NATIONAL, _ALL = PreparedQuery(_national_overrides), PreparedQuery(_all_overrides)


def _overrides(start: dt.date, end: dt.date, institution_id: int | None) -> dict[dt.date, str]:
    """National and the institution's own overrides in one query; the institution's own day wins."""
    rows = _NATIONAL.list(start, end) if institution_id is None else _ALL.list(start, end, institution_id)
    return _merged(rows)


def _merged(rows) -> dict[dt.date, str]:
    found = {day: kind for day, kind, owner in rows if owner is None}
    found.update({day: kind for day, kind, owner in rows if owner is not None})
    return found


# --- the overrides read with a caller's own query ---------------------------------------------------------------------
# Every results page built counts its appeal windows from the announcement: the overrides of the days after it come
# in the results' own query (one query less per page built, issue 18) instead of a query of their own.
AHEAD_DAYS = 100  # read after a moment's UTC day: enough for any window of up to (AHEAD_DAYS - 41) // 3 working days
_AHEAD_DAY, _AHEAD_ROWS = "calendar_ahead_day", "calendar_ahead"


class _JSONRow(Func):
    """Its expressions as a JSON array (Django's JSONObject asks SQLite whether it has JSON once per connection: a query
    more on the first page built)."""

    function = "JSONB_BUILD_ARRAY"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_ARRAY", **extra_context)


class _JSONRows(Subquery):
    """A subquery's one column (`row`) as the text of a JSON array, [] when it has no rows."""

    output_field = TextField()
    template = "(SELECT COALESCE(JSONB_AGG(_rows.row), '[]'::jsonb) FROM (%(subquery)s) _rows)"

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "(SELECT JSON_GROUP_ARRAY(JSON(_rows.row)) FROM (%(subquery)s) _rows)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def with_overrides_ahead(queryset: QuerySet, *, moment: str, institution: str) -> QuerySet:
    """`queryset` with each row's national and institution's own overrides of the days around and after its
    `moment` (the day before its UTC day, where its local day may be, and AHEAD_DAYS after it), read in the
    same query, for `overrides_ahead(row, institution_id)`."""
    around = OuterRef(_AHEAD_DAY)
    days = CalendarOverride.objects.filter(
        Q(institution__isnull=True) | Q(institution_id=OuterRef(institution)),
        date__gte=around - dt.timedelta(days=1),
        date__lte=around + dt.timedelta(days=AHEAD_DAYS),
    )
    rows = days.order_by().values(row=_JSONRow("date", "kind", "institution_id"))
    return queryset.annotate(**{_AHEAD_DAY: TruncDate(moment, tzinfo=dt.UTC)}).annotate(**{_AHEAD_ROWS: _JSONRows(rows)})


@dataclass(frozen=True)
class Known:
    """The overrides of an institution (and the nation) over `start`..`end`, read already (`overrides_ahead`)."""

    institution_id: int | None
    start: dt.date
    end: dt.date
    found: dict[dt.date, str]

    def within(self, start: dt.date, end: dt.date, institution_id: int | None) -> dict[dt.date, str] | None:
        """The overrides of `start`..`end` as `_overrides` would read them, or None if these are not them."""
        if institution_id != self.institution_id or start < self.start or end > self.end:
            return None
        return {day: kind for day, kind in self.found.items() if start <= day <= end}


def overrides_ahead(row, institution_id: int) -> Known:
    """The overrides read with `row` (a row of a queryset `with_overrides_ahead`), for the calendar's functions."""
    around = getattr(row, _AHEAD_DAY)
    rows = json.loads(getattr(row, _AHEAD_ROWS))
    found = _merged([(dt.date.fromisoformat(day), kind, owner) for day, kind, owner in rows])
    return Known(institution_id, around - dt.timedelta(days=1), around + dt.timedelta(days=AHEAD_DAYS), found)


def _working(day: dt.date, overrides: dict[dt.date, str]) -> bool:
    kind = overrides.get(day)
    if kind is not None:
        return kind == CalendarOverride.Kind.WORKING_DAY
    return _library_says_working(day)


def is_working_day(day: dt.date, institution_id: int | None = None) -> bool:
    return _working(day, _overrides(day, day, institution_id))


def nth_working_day_after(day: dt.date, n: int, institution_id: int | None = None, known: Known | None = None) -> dt.date:
    """The n-th working day strictly after `day` (n >= 1); the overrides from `known` if it holds the days needed."""
    if n < 1:
        raise ValueError("n must be at least 1")
    end = day + dt.timedelta(days=n * 3 + 40)
    overrides = known.within(day, end, institution_id) if known is not None else None
    if overrides is None:
        overrides = _overrides(day, end, institution_id)
    current, counted = day, 0
    while counted < n:
        current += dt.timedelta(days=1)
        if _working(current, overrides):
            counted += 1
    return current


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (days past the 28th become the 28th, so it always exists):
    "approved N months before" in R10 and R14."""
    month = day.month - 1 - months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=min(day.day, 28))


def nth_working_day_before(day: dt.date, n: int, institution_id: int | None = None) -> dt.date:
    """The n-th working day strictly before `day` (n >= 1): for reminders "N working days ahead"."""
    if n < 1:
        raise ValueError("n must be at least 1")
    overrides = _overrides(day - dt.timedelta(days=n * 3 + 40), day, institution_id)
    current, counted = day, 0
    while counted < n:
        current -= dt.timedelta(days=1)
        if _working(current, overrides):
            counted += 1
    return current


def working_days_end(
    moment: dt.datetime, n: int, tz: str, institution_id: int | None = None, known: Known | None = None
) -> dt.datetime:
    """The end of N working days from `moment`: midnight after the N-th working day following its local date.

    A deadline computed here is open while now < the returned moment.
    """
    zone = ZoneInfo(tz)
    local_day = moment.astimezone(zone).date()
    last = nth_working_day_after(local_day, n, institution_id, known)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def working_days_between(start: dt.date, end: dt.date, institution_id: int | None = None) -> int:
    """Working days in (start, end]."""
    if end <= start:
        return 0
    overrides = _overrides(start, end, institution_id)
    return sum(1 for i in range(1, (end - start).days + 1) if _working(start + dt.timedelta(days=i), overrides))


def working_days(start: dt.date, end: dt.date, institution_id: int | None = None) -> list[dt.date]:
    """The working days in [start, end], in order: the days a timetable may use."""
    if end < start:
        return []
    overrides = _overrides(start, end, institution_id)
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [d for d in days if _working(d, overrides)]

import datetime as dt

import pytest
from django.db import connection
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext

from attestation.workcal.calendar import (
    Known,
    is_working_day,
    nth_working_day_after,
    nth_working_day_before,
    working_days_end,
)
from attestation.workcal.models import CalendarOverride

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2020, 3, 20), True),  # Friday before Nauryz
        (D(2020, 3, 23), False),  # Nauryz
        (D(2020, 3, 24), False),  # Nauryz moved from Saturday
        (D(2020, 3, 25), False),  # Nauryz moved from Sunday
        (D(2020, 3, 26), True),
        (D(2020, 5, 7), False),  # Defender of the Fatherland Day
        (D(2020, 5, 8), False),  # decree: day off moved from Mon 11 May
        (D(2020, 5, 9), False),  # Victory Day (Saturday)
        (D(2020, 5, 11), True),  # decree: working Monday
        (D(2020, 1, 3), False),  # decree: day off moved from Sun 5 Jan
        (D(2020, 1, 5), True),  # decree: working Sunday
        (D(2020, 12, 20), True),  # decree: working Sunday
        (D(2020, 12, 18), False),
    ],
)
def test_kazakhstan_2020_days(day, working):
    assert is_working_day(day) is working


def test_two_working_days_after_6_may_2020_skip_holidays_and_transfer():
    # Thu 7 May holiday, Fri 8 May transferred day off, Sat 9 May Victory Day, Sun 10: Mon 11 and Tue 12 count.
    assert nth_working_day_after(D(2020, 5, 6), 2) == D(2020, 5, 12)


def test_working_days_across_nauryz_2020():
    assert nth_working_day_after(D(2020, 3, 20), 1) == D(2020, 3, 26)
    assert nth_working_day_after(D(2020, 3, 20), 2) == D(2020, 3, 27)


def test_deadline_ends_at_local_midnight_after_the_last_working_day():
    published = dt.datetime(2020, 5, 6, 17, 30, tzinfo=dt.UTC)  # 23:30 in Almaty, still 6 May
    end = working_days_end(published, 2, "Asia/Almaty")
    assert end.isoformat() == "2020-05-13T00:00:00+06:00"


def test_publication_after_local_midnight_counts_from_the_local_date():
    published = dt.datetime(2020, 5, 6, 18, 30, tzinfo=dt.UTC)  # 00:30 on 7 May in Almaty
    end = working_days_end(published, 1, "Asia/Almaty")
    assert end.date() == D(2020, 5, 12)


def test_a_decree_published_mid_year_overrides_the_library():
    assert is_working_day(D(2020, 7, 1))
    CalendarOverride.objects.create(date=D(2020, 7, 1), kind=CalendarOverride.Kind.DAY_OFF, note="decree")
    assert not is_working_day(D(2020, 7, 1))


def test_an_institutions_own_day_applies_only_to_it(world):
    CalendarOverride.objects.create(institution=world.institution, date=D(2020, 7, 2), kind=CalendarOverride.Kind.DAY_OFF)
    assert not is_working_day(D(2020, 7, 2), world.institution.pk)
    assert is_working_day(D(2020, 7, 2))


def test_working_days_before_skip_the_may_2020_holidays():
    # Tue 12 May 2020: Mon 11 is working (decree), then 6 May (7-10 May off).
    assert nth_working_day_before(D(2020, 5, 12), 1) == D(2020, 5, 11)
    assert nth_working_day_before(D(2020, 5, 12), 2) == D(2020, 5, 6)


def test_each_stretch_and_institution_gets_its_own_days_from_the_query_compiled_once(world, monkeypatch):
    CalendarOverride.objects.create(institution=world.institution, date=D(2020, 7, 2), kind=CalendarOverride.Kind.DAY_OFF)
    CalendarOverride.objects.create(date=D(2020, 7, 3), kind=CalendarOverride.Kind.DAY_OFF, note="decree")
    assert nth_working_day_after(D(2020, 7, 1), 1, world.institution.pk) == D(2020, 7, 7)  # both off, 6 July too
    assert nth_working_day_after(D(2020, 7, 1), 1) == D(2020, 7, 2)  # only the decree's
    built: list = []
    add_q = Query.add_q
    monkeypatch.setattr(Query, "add_q", lambda self, q: built.append(q) or add_q(self, q))
    with CaptureQueriesContext(connection) as captured:
        assert nth_working_day_after(D(2020, 7, 2), 1, world.institution.pk) == D(2020, 7, 7)
        assert nth_working_day_after(D(2020, 7, 1), 1, world.institution.pk + 1) == D(2020, 7, 2)
        assert not is_working_day(D(2020, 7, 3))
        assert is_working_day(D(2020, 7, 2))
    assert len(captured.captured_queries) == 4 and not built  # one query each, none of them built again


def test_days_read_ahead_are_used_only_for_their_own_institution_and_stretch(world):
    CalendarOverride.objects.create(institution=world.institution, date=D(2020, 7, 2), kind=CalendarOverride.Kind.DAY_OFF)
    known = Known(world.institution.pk, D(2020, 6, 30), D(2020, 9, 8), {D(2020, 7, 2): CalendarOverride.Kind.DAY_OFF})
    with CaptureQueriesContext(connection) as captured:
        assert nth_working_day_after(D(2020, 7, 1), 1, world.institution.pk, known) == D(2020, 7, 3)
    assert not captured.captured_queries
    with CaptureQueriesContext(connection) as captured:  # a stretch beyond the days read, another institution's days
        assert nth_working_day_after(D(2020, 7, 1), 30, world.institution.pk, known) == nth_working_day_after(
            D(2020, 7, 1), 30, world.institution.pk
        )
        assert nth_working_day_after(D(2020, 7, 1), 1, world.institution.pk + 1, known) == D(2020, 7, 2)
    assert len(captured.captured_queries) == 3

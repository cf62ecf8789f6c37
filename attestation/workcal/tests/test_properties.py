"""Properties of the working-day arithmetic that must hold for any date and any N."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attestation.workcal.calendar import is_working_day, nth_working_day_after, working_days_between

pytestmark = pytest.mark.django_db
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 12, 31))


@settings(max_examples=60, deadline=None)
@given(day=days, n=st.integers(min_value=1, max_value=15))
def test_the_nth_working_day_is_a_working_day_with_n_working_days_up_to_it(day, n):
    end = nth_working_day_after(day, n)
    assert end > day
    assert is_working_day(end)
    assert working_days_between(day, end) == n


@settings(max_examples=40, deadline=None)
@given(day=days, n=st.integers(min_value=1, max_value=10))
def test_counting_on_is_additive(day, n):
    assert nth_working_day_after(nth_working_day_after(day, n), 1) == nth_working_day_after(day, n + 1)


@settings(max_examples=40, deadline=None)
@given(day=days)
def test_no_weekday_run_of_more_than_eleven_days_off(day):
    # Kazakhstan's longest break (New Year with transfers, Nauryz) stays well under two weeks.
    assert (nth_working_day_after(day, 1) - day).days <= 11

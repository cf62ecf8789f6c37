"""The results page is what every student refreshes at the announcement: its query count must stay flat."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals import selectors, services
from appeals.tests.conftest import ALMATY, ANNOUNCED, make_result
from attestation.institutions.models import Policy
from attestation.institutions.services import policy_update
from attestation.workcal.models import CalendarOverride
from commissions import services as commission_services
from commissions.models import Slot

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("appeals:my_results")).status_code == 200
    return len(ctx.captured_queries)


def more_results(world, announced: list[dt.datetime]):
    """One more sitting (13, 14, 15 May...) and result for the student per announcement moment."""
    made = []
    for n, moment in enumerate(announced):
        sitting = commission_services.sitting_create(
            actor=world.secretary,
            commission=world.commission,
            date=dt.date(2020, 5, 13 + n),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
        )
        # Shaped directly: the schedule itself refuses a second place to a graded student (R40).
        slot = Slot.objects.create(sitting=sitting, student=world.student, starts_at=DURING, duration_minutes=15)
        made.append(make_result(slot, announced=moment))
    return made


@time_machine.travel(DURING, tick=False)
def test_results_page_queries_do_not_grow_with_results_announced_the_same_day(client, world, result):
    client.force_login(world.student.user)
    one = count_queries(client)
    more_results(world, [ANNOUNCED] * 3)
    assert count_queries(client) == one


@time_machine.travel(DURING, tick=False)
def test_results_page_query_count_is_pinned(client, world, result, django_assert_max_num_queries):
    client.force_login(world.student.user)
    with django_assert_max_num_queries(2):  # the person; the results with their policy and calendar days (session: cached)
        client.get(reverse("appeals:my_results"))


def test_each_result_gets_the_window_of_its_own_announcement_day(world, result):
    later = more_results(world, [dt.datetime(2020, 5, 13, 15, 0, tzinfo=ALMATY)])[0]
    rows = dict(selectors.results_with_appeal_windows(user=world.student.user))
    assert rows[result] == services.appeal_window_closes(result)
    assert rows[later] == services.appeal_window_closes(later)
    assert rows[result] < rows[later]


@time_machine.travel(DURING, tick=False)
def test_results_page_shows_the_window_and_the_schedule_link(client, world, result):
    client.force_login(world.student.user)
    page = client.get(reverse("appeals:my_results"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("appeals:file", args=[result.pk]) in page
    assert reverse("commissions:my_schedule") in page


def test_the_window_follows_a_change_of_the_policy(world, result):
    before = dict(selectors.results_with_appeal_windows(user=world.student.user))[result]
    Policy.objects.filter(institution=world.institution, academic_year=world.commission.academic_year).update(
        appeal_window_working_days=F("appeal_window_working_days") + 2
    )
    after = dict(selectors.results_with_appeal_windows(user=world.student.user))[result]
    assert after == services.appeal_window_closes(result) > before


@time_machine.travel(DURING, tick=False)
def test_the_results_page_links_the_sittings_public_results_where_the_policy_publishes_them(client, world, result):
    client.force_login(world.student.user)
    public = reverse("commissions:public_results", args=[world.institution.short_name, result.slot.sitting_id])
    assert public not in client.get(reverse("appeals:my_results")).content.decode()
    policy = Policy.objects.get(institution=world.institution, academic_year=2019)
    policy_update(actor=world.head, policy=policy, changes={"public_results": Policy.PublicResults.NUMBER_AND_GRADE})
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("appeals:my_results")).content.decode()
    assert public in page
    assert len(ctx.captured_queries) <= 4
    assert client.get(public).status_code == 200


@time_machine.travel(DURING, tick=False)
def test_results_page_queries_do_not_grow_with_results_announced_on_other_days(client, world, result):
    client.force_login(world.student.user)
    one = count_queries(client)
    more_results(world, [dt.datetime(2020, 5, 7, 0, 30, tzinfo=ALMATY), dt.datetime(2020, 5, 8, 15, 0, tzinfo=ALMATY)])
    assert count_queries(client) == one  # the calendar's days of each announcement come with the results


def test_the_windows_read_with_the_results_follow_the_calendar_as_its_own_query_does(world, result, other_institution):
    # 11 May 2020 is a working Monday by the national decree, but the institution's own day off, which wins (the window
    # of 6 May's result ends with 13 May, not 12 May); another institution's day off on 13 May counts for no one here;
    # the second result's local day (7 May) is the day after its UTC day.
    CalendarOverride.objects.create(institution=world.institution, date=dt.date(2020, 5, 11), kind="day_off")
    CalendarOverride.objects.create(institution=other_institution, date=dt.date(2020, 5, 13), kind="day_off")
    later = more_results(world, [dt.datetime(2020, 5, 7, 0, 30, tzinfo=ALMATY)])[0]
    rows = dict(selectors.results_with_appeal_windows(user=world.student.user))
    assert rows[result] == services.appeal_window_closes(result) == dt.datetime(2020, 5, 14, tzinfo=ALMATY)
    assert rows[later] == services.appeal_window_closes(later)

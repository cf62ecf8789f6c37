"""What decides a results page's appeal windows and links — the institution (its time zone, its short name), its policy,
its own calendar days — ends the pages of the students with a slot in its commissions, and no one else's
(commissions/page_hooks.py:institution_pages_changed, appeals/hooks.py): another institution's change leaves the page
served from the cache without a query; the institution's own shows the new window or link on the very next visit; a
national decree ends every student's page."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals.tests.conftest import ALMATY
from attestation.institutions.models import Institution, Policy
from attestation.tests.factories import UserFactory
from attestation.workcal.models import CalendarOverride
from attestation.workcal.services import calendar_day_set

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)  # the window of the result announced 6 May is open
RESULTS = reverse("appeals:my_results")
DAY_OFF = dt.date(2020, 5, 12)  # the last day of the window: a day off moves its end to the next working day


def visit(client) -> tuple[str, int]:
    """The page and how many queries its request asked (0: served before the person was read)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(RESULTS)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def window_end(page: str) -> str:
    return re.search(r"open until ([^<]*)<", page).group(1)


def stored(client, world) -> str:
    """The student's results page stored by their first visit (inside the test's time), as the second one gets it."""
    client.force_login(world.student.user)
    visit(client)
    page, queries = visit(client)
    assert queries == 0
    return page


def day_off(institution_id: int | None) -> None:
    if institution_id is None:  # a national decree: kept by the portal's administrators, no service of the pages
        CalendarOverride.objects.create(date=DAY_OFF, kind=CalendarOverride.Kind.DAY_OFF)
    else:
        calendar_day_set(actor=UserFactory(), institution_id=institution_id, day=DAY_OFF, kind=CalendarOverride.Kind.DAY_OFF)


@time_machine.travel(DURING, tick=False)
def test_a_day_off_of_the_students_institution_moves_the_window_on_the_next_visit(client, world, result):
    before = window_end(stored(client, world))
    day_off(world.institution.pk)
    assert window_end(visit(client)[0]) != before


@time_machine.travel(DURING, tick=False)
def test_a_national_decree_moves_every_students_window(client, world, result):
    before = window_end(stored(client, world))
    day_off(None)
    assert window_end(visit(client)[0]) != before


@time_machine.travel(DURING, tick=False)
def test_another_institutions_day_off_policy_and_name_keep_the_page(client, world, result, other_institution):
    stored(client, world)
    day_off(other_institution.pk)
    policy = Policy.objects.get(institution=other_institution)
    policy.appeal_window_working_days = 5
    policy.save()
    other_institution.short_name = "RENAMED"
    other_institution.save()
    assert visit(client)[1] == 0


@time_machine.travel(DURING, tick=False)
def test_the_policys_appeal_window_shows_on_the_next_visit(client, world, result):
    before = window_end(stored(client, world))
    policy = Policy.objects.get(institution=world.institution, academic_year=2019)
    policy.appeal_window_working_days = 5
    policy.save()
    assert window_end(visit(client)[0]) != before


@time_machine.travel(DURING, tick=False)
def test_the_institutions_new_short_name_shows_in_the_public_results_link(client, world, result):
    Policy.objects.filter(institution=world.institution).update(public_results=Policy.PublicResults.NUMBER_AND_GRADE)
    client.force_login(world.student.user)
    assert "/results/TEST/" in visit(client)[0]
    assert visit(client)[1] == 0
    institution = Institution.objects.get(pk=world.institution.pk)
    institution.short_name = "NEWNAME"
    institution.save()
    page = visit(client)[0]
    assert "/results/NEWNAME/" in page and "/results/TEST/" not in page

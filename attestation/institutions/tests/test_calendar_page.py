"""The institution's calendar in the portal (issue 20): its administrator enters the decrees' transfers and its own
days off for any year, and the planner, the sitting days and the working-day deadlines follow them."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory
from attestation.workcal.calendar import is_working_day, working_days_end
from attestation.workcal.models import CalendarOverride
from commissions.planning.inputs import task_for
from commissions.services import next_sitting_refusal

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def admin_client(client, world):
    admin = UserFactory(username="calendar-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(world, year=None):
    url = reverse("institutions:calendar", args=[world.institution.pk])
    return f"{url}?year={year}" if year else url


def test_the_administrator_enters_a_decrees_transfer_for_another_year(admin_client, world):
    response = admin_client.post(
        _url(world),
        {"date": "2021-11-01", "kind": "day_off", "paired_day": "2021-10-30", "note": "Decree No. 123"},
    )
    assert response.status_code == 302
    assert is_working_day(D(2021, 11, 1), world.institution.pk) is False
    assert is_working_day(D(2021, 10, 30), world.institution.pk) is True
    assert is_working_day(D(2021, 11, 1)) is True  # another institution keeps the national calendar
    assert AuditEvent.objects.filter(verb="calendar.set").count() == 2


def test_the_page_lists_the_years_holidays_decrees_and_own_days(admin_client, world):
    CalendarOverride.objects.create(institution=world.institution, date=D(2021, 11, 1), kind="day_off", note="Own day")
    page = admin_client.get(_url(world, 2021))
    lines = {line.date: line for line in page.context["lines"]}
    assert (lines[D(2021, 11, 1)].source, lines[D(2021, 11, 1)].working) == ("own", False)
    assert lines[D(2021, 3, 22)].source == "law"
    assert "Own day" in page.content.decode()
    shipped = admin_client.get(_url(world, 2020)).context["lines"]
    assert [line.source for line in shipped if line.date == D(2020, 5, 11)] == ["decree"]


def test_the_kazakh_page_names_the_holidays_in_kazakh(admin_client, world):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    text = admin_client.get(_url(world, 2021)).content.decode()
    assert "Жаңа жыл" in text
    assert "New Year" not in text


def test_an_own_day_is_removed_and_a_national_decree_is_not(admin_client, world):
    own = CalendarOverride.objects.create(institution=world.institution, date=D(2021, 11, 1), kind="day_off")
    admin_client.post(reverse("institutions:calendar_remove", args=[own.pk]))
    assert is_working_day(D(2021, 11, 1), world.institution.pk) is True
    decree = CalendarOverride.objects.get(institution=None, date=D(2020, 5, 11))
    assert admin_client.post(reverse("institutions:calendar_remove", args=[decree.pk])).status_code == 404


def test_the_calendar_is_only_for_the_institutions_administrator(client, world):
    for user in (world.head, world.chair, world.outsider):
        client.force_login(user)
        assert client.get(_url(world)).status_code == 404
        response = client.post(_url(world), {"date": "2021-11-01", "kind": "day_off"})
        assert response.status_code == 404
    assert not CalendarOverride.objects.filter(institution=world.institution).exists()


def test_the_planner_sitting_days_and_deadlines_follow_an_own_day_off(admin_client, world):
    admin_client.post(_url(world), {"date": "2020-05-13", "kind": "day_off", "note": "Founders' day"})
    assert D(2020, 5, 13) not in task_for(world.commission, [world.student]).days
    assert next_sitting_refusal(commission=world.commission, day=D(2020, 5, 13), after=D(2020, 5, 12))
    end = working_days_end(dt.datetime(2020, 5, 12, 12, tzinfo=dt.UTC), 1, world.institution.time_zone, world.institution.pk)
    assert end.date() == D(2020, 5, 15)  # Wed 13 May off: Thu 14 May is the first working day; it ends at midnight

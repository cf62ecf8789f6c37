"""The results page is served from the shared cache (attestation/core/student_pages.py): each student gets only their own,
and sees every announcement, amendment and appeal at once, and the appeal button only while the window is open."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals import results_cache, selectors, services
from appeals.tests.conftest import ALMATY, make_result
from commissions.grading import services as grading
from commissions.models import Slot
from commissions.tests.conftest import everyone_present

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)  # the window of a result announced 6 May is open
CLOSED = dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)  # ... and closes at this moment


def page(client, language="en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the switcher's choice
    response = client.get(reverse("appeals:my_results"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]  # the layout around it carries a fresh CSRF token


def grade_cell(letter: str) -> str:
    return f"<strong>{letter}</strong>"


@pytest.fixture
def other_result(world, result):
    return make_result(Slot.objects.get(sitting=world.sitting, student=world.other_student), letter="A", points="95")


@time_machine.travel(DURING, tick=False)
def test_a_student_never_sees_another_students_cached_table(client, world, result, other_result):
    client.force_login(world.student.user)
    mine = page(client)
    client.force_login(world.other_student.user)
    theirs = page(client)
    assert grade_cell("C") in mine and grade_cell("A") not in mine
    assert reverse("appeals:file", args=[result.pk]) in mine
    assert grade_cell("A") in theirs and grade_cell("C") not in theirs
    assert reverse("appeals:file", args=[other_result.pk]) in theirs
    assert reverse("appeals:file", args=[result.pk]) not in theirs
    client.force_login(world.student.user)
    assert page(client) == mine


@time_machine.travel(DURING, tick=False)
def test_the_second_visit_reads_no_results_from_the_database(client, world, result):
    client.force_login(world.student.user)
    first = page(client)
    with CaptureQueriesContext(connection) as captured:
        assert page(client) == first
    assert not [q for q in captured.captured_queries if 'FROM "commissions_result"' in q["sql"]]


def test_the_new_grade_shows_right_after_the_appeal_amends_it(client, world, result, appeal_people):
    client.force_login(world.student.user)
    assert grade_cell("C") in page(client)
    filed = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=filed)
    assert "filed" in page(client)
    services.appeal_schedule_hearing(
        actor=appeal_people[0], appeal=appeal, hearing_at=dt.datetime(2020, 5, 14, 15, tzinfo=ALMATY), now=filed
    )
    assert "hearing scheduled" in page(client)
    services.appeal_vote(actor=appeal_people[0], appeal=appeal, outcome="changed", points=80)
    services.appeal_vote(actor=appeal_people[1], appeal=appeal, outcome="changed", points=85)
    services.appeal_vote(actor=appeal_people[2], appeal=appeal, outcome="upheld", note="Дауыс беру нәтижесі")
    after = page(client)
    assert grade_cell("B") in after and grade_cell("C") not in after
    assert "answer sent" in after


def test_an_announced_result_shows_at_once_to_a_student_who_looked_before(client, world):
    client.force_login(world.student.user)
    assert "No results have been announced to you yet." in page(client)
    everyone_present(world)
    slot = Slot.objects.select_related("sitting__commission", "student").get(sitting=world.sitting, student=world.student)
    grading.grade_submit(actor=world.chair, slot=slot, points="96")
    grading.grade_submit(actor=world.member, slot=slot, points="90")
    grading.results_announce(actor=world.chair, sitting=world.sitting)
    assert grade_cell("A") in page(client) or grade_cell("A-") in page(client)


def test_the_appeal_button_goes_when_the_window_closes(client, world, result):
    client.force_login(world.student.user)
    with time_machine.travel(DURING, tick=False):
        assert reverse("appeals:file", args=[result.pk]) in page(client)
    with time_machine.travel(CLOSED, tick=False):
        closed = page(client)
    assert reverse("appeals:file", args=[result.pk]) not in closed
    assert "appeal window closed" in closed


@time_machine.travel(DURING, tick=False)
def test_each_language_gets_its_own_table(client, world, result):
    client.force_login(world.student.user)
    assert "Commission" in page(client, "en")
    assert "Комиссия" in page(client, "ru") and "Commission" not in page(client, "ru")


@time_machine.travel(DURING, tick=False)
def test_a_renamed_commission_shows_on_every_students_table(client, world, result):
    client.force_login(world.student.user)
    page(client)
    world.commission.name_en = "Renamed State Commission"
    world.commission.save()
    assert "Renamed State Commission" in page(client)


def test_a_page_built_from_rows_read_before_a_change_is_not_served_after_it(client, world, result, monkeypatch):
    client.force_login(world.student.user)
    read = selectors.results_with_appeal_windows

    def read_while_the_grade_changes(*, user):
        rows = read(user=user)
        results_cache.student_results_changed(user.pk)  # committed while this request was building its page
        return rows

    monkeypatch.setattr(selectors, "results_with_appeal_windows", read_while_the_grade_changes)
    page(client)
    reads = []
    monkeypatch.setattr(selectors, "results_with_appeal_windows", lambda *, user: reads.append(user) or read(user=user))
    page(client)
    assert reads == [world.student.user]  # built again, from the rows after the change
    page(client)
    assert reads == [world.student.user]  # and that page is served


def test_the_table_lives_until_the_first_open_window_closes():
    now = dt.datetime(2020, 5, 12, 23, 50, tzinfo=ALMATY)
    assert results_cache.seconds_to_live([CLOSED, None, now - dt.timedelta(days=1)], now) == 600
    assert results_cache.seconds_to_live([now + dt.timedelta(seconds=90)], now) == 90
    assert results_cache.seconds_to_live([], now) == results_cache.TABLE_SECONDS

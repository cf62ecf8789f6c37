"""The schedule and the exam page's admission poll are served whole from the shared cache
(attestation/core/student_pages.py): each person gets only their own page, in their language, and every change —
a slot moved, its status, the secretary's admission — shows on the very next request."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.core.sessions import STAMP_KEY, copies_digest
from attestation.core.student_pages import student_pages_changed
from attestation.tests.cache_trips import CacheTrips
from commissions import connection_checks, selectors
from commissions.models import ConnectionCheck
from commissions.planning.services import slot_move
from exams import services
from exams.models import Attempt
from exams.tests.conftest import move, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State
SCHEDULE = reverse("commissions:my_schedule")


def get(client, url: str, language: str = "en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def poll_url(world, student) -> str:
    return reverse("exams:student_status", args=[slot_of(world, student).pk])


def served_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries]


def test_a_student_never_gets_another_students_cached_schedule(client, world):
    mine_url = reverse("commissions:slot", args=[slot_of(world, world.student).pk])
    theirs_url = reverse("commissions:slot", args=[slot_of(world, world.other_student).pk])
    client.force_login(world.student.user)
    assert mine_url in get(client, SCHEDULE)
    mine = get(client, SCHEDULE)  # the cached one
    assert mine_url in mine and theirs_url not in mine
    client.logout()
    client.force_login(world.other_student.user)
    get(client, SCHEDULE)
    theirs = get(client, SCHEDULE)
    assert theirs_url in theirs and mine_url not in theirs
    client.force_login(world.student.user)
    again = get(client, SCHEDULE)
    assert mine_url in again and theirs_url not in again


def test_a_logged_out_visitor_gets_the_login_page_not_the_cached_schedule(client, world):
    client.force_login(world.student.user)
    get(client, SCHEDULE)
    get(client, SCHEDULE)
    client.logout()
    response = client.get(SCHEDULE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_each_language_gets_its_own_cached_schedule(client, world):
    client.force_login(world.student.user)
    assert "My schedule" in get(client, SCHEDULE, "en")
    russian = get(client, SCHEDULE, "ru")
    assert "Моё расписание" in russian or "Мое расписание" in russian
    assert "My schedule</h1>" not in russian
    assert "My schedule</h1>" in get(client, SCHEDULE, "en")


def test_the_second_visit_of_the_schedule_reads_no_slot_from_the_database(client, world):
    client.force_login(world.student.user)
    first = get(client, SCHEDULE)
    queries = served_queries(client, SCHEDULE)
    assert not [sql for sql in queries if "commissions_slot" in sql]
    assert first.count("<tr>") == get(client, SCHEDULE).count("<tr>")


def test_a_moved_slot_shows_on_the_next_request(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.student.user)
    get(client, SCHEDULE)
    later = slot.starts_at + dt.timedelta(minutes=35)
    slot_move(
        actor=world.secretary, slot=slot, sitting=slot.sitting, starts_at=later, duration_minutes=slot.duration_minutes
    )
    shown = later.astimezone(ZoneInfo(world.institution.time_zone)).strftime("%H:%M")
    assert shown in get(client, SCHEDULE)


def test_a_status_written_by_a_bulk_update_shows_on_the_next_request(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.student.user)
    assert "connection checked" not in get(client, SCHEDULE)
    connection_checks.connection_check_record(actor=world.secretary, slot=slot, outcome=ConnectionCheck.Outcome.WORKS)
    assert "connection checked" in get(client, SCHEDULE)


def test_the_admission_shows_on_the_very_next_poll(client, world):
    url = poll_url(world, world.student)
    client.force_login(world.student.user)
    assert 'data-state="scheduled"' in get(client, url)
    assert 'data-state="scheduled"' in get(client, url)  # served from the cache
    attempt = services.attempt_for_slot(slot=slot_of(world, world.student))
    move(attempt, S.IDENTIFIED, actor=world.secretary)
    assert 'data-state="identified"' in get(client, url)
    assert 'data-state="identified"' in get(client, url)
    move(attempt, S.ADMITTED, actor=world.secretary)
    assert 'data-state="admitted"' in get(client, url)


def test_a_waiting_students_second_poll_asks_the_database_nothing_but_the_person(client, world):
    url = poll_url(world, world.student)
    client.force_login(world.student.user)
    get(client, url)
    queries = served_queries(client, url)
    assert queries == []  # served before the person is read (attestation.core.student_pages.StudentPageMiddleware)
    assert not [sql for sql in queries if "commissions_slot" in sql or "exams_attempt" in sql]


def test_another_student_gets_no_cached_poll_of_a_slot_not_theirs(client, world):
    url = poll_url(world, world.student)
    client.force_login(world.student.user)
    get(client, url)
    get(client, url)
    client.force_login(world.other_student.user)
    assert client.get(url).status_code == 404


def test_a_cached_page_carries_a_csrf_token_that_logs_the_person_out(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.student.user)
    get(client, SCHEDULE)
    page = get(client, SCHEDULE)
    token = _tokens(page)[0]
    assert "\x00" not in page and len(token) == 64
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(SCHEDULE).status_code == 302  # logged out: the login page


def test_a_cached_page_carries_one_fresh_token_in_all_its_forms_as_a_rendered_page_does(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.student.user)
    rendered, served, again = (_tokens(get(client, SCHEDULE)) for _ in range(3))
    assert len(rendered) == len(served) == len(again) == 2  # log out and the language
    assert len(set(rendered)) == len(set(served)) == len(set(again)) == 1
    assert served[0] != rendered[0] and again[0] != served[0]  # masked anew at each visit


def test_a_message_waiting_for_the_student_is_shown_not_the_cached_page(client, world):
    client.force_login(world.student.user)
    get(client, SCHEDULE)
    get(client, SCHEDULE)
    storage, redirect = CookieStorage(HttpRequest()), HttpResponse()  # a message left for the next page by a redirect
    storage.add(constants.SUCCESS, "Your place was confirmed.")
    storage.update(redirect)
    client.cookies[CookieStorage.cookie_name] = redirect.cookies[CookieStorage.cookie_name].value
    assert "Your place was confirmed." in get(client, SCHEDULE)
    assert "Your place was confirmed." not in get(client, SCHEDULE)


def test_a_session_from_before_a_password_change_gets_the_login_page_not_the_cached_one(world):
    old, new = Client(), Client()
    user = world.student.user
    old.force_login(user)
    get(old, SCHEDULE)
    user.set_password("a-new-password-0123")
    user.save()
    new.force_login(user)
    get(new, SCHEDULE)
    get(new, SCHEDULE)  # stored for the new session's password hash
    response = old.get(SCHEDULE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_page_served_before_the_person_is_read_asks_the_database_nothing_and_keeps_the_headers(client, world):
    client.force_login(world.student.user)
    built = client.get(SCHEDULE)
    with CaptureQueriesContext(connection) as captured:
        served = client.get(SCHEDULE)
    assert captured.captured_queries == []
    assert served.content == built.content or served.content.count(b"<tr>") == built.content.count(b"<tr>")
    for header in ("X-Frame-Options", "Content-Security-Policy", "Content-Language", "Vary", "X-Content-Type-Options"):
        assert served.get(header) == built.get(header), header


def test_the_persons_own_language_decides_where_the_browser_chose_none_and_a_change_shows_at_once(world):
    client = Client()
    user = world.student.user
    user.preferred_language = "ru"
    user.save()
    client.force_login(user)
    assert client.get(SCHEDULE).headers["Content-Language"] == "ru"
    served = client.get(SCHEDULE)
    assert served.headers["Content-Language"] == "ru" and 'lang="ru"' in served.content.decode()
    user.preferred_language = "kk"
    user.save()
    assert client.get(SCHEDULE).headers["Content-Language"] == "kk"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(SCHEDULE).headers["Content-Language"] == "en"
    assert client.get(SCHEDULE).headers["Content-Language"] == "en"


def _tokens(page: str) -> list[str]:
    """The CSRF tokens of the page's forms, in order."""
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.mark.skipif(not settings.SHARED_CACHE, reason="the pages are kept only in a cache every process shares")
def test_a_first_visit_on_an_emptied_cache_writes_its_generations_with_its_page_in_one_round_trip(
    client, world, monkeypatch
):
    client.force_login(world.student.user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    get(client, SCHEDULE)
    cache.clear()  # as the cold round starts: sessions, people, generations and pages all gone
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    trips = CacheTrips(monkeypatch)
    page = get(client, SCHEDULE)
    # after the session's round trips: the generations and the page read at once, then the generations and the page
    # written together (before: an add for each generation, then the page: three round trips where there is one)
    read = max(i for i, trip in enumerate(trips.trips) if trip == "get_many")
    assert trips.trips[read : read + 2] == ["get_many", "add_then_set"], trips.trips
    assert "add" not in trips.trips[read:]
    trips.trips.clear()
    with CaptureQueriesContext(connection) as captured:
        served = get(client, SCHEDULE)  # served: the generations written were the ones the page was stored under
    assert _without_tokens(served) == _without_tokens(page)
    assert captured.captured_queries == []


@pytest.mark.skipif(not settings.SHARED_CACHE, reason="the pages are kept only in a cache every process shares")
def test_a_cold_visit_stores_its_session_with_the_page_lookup_and_its_person_with_the_page(client, world, monkeypatch):
    """A cold visit reads its session and its person from the database; it stores them for the next visit in the round
    trips it makes anyway (attestation/core/cache.py: write_behind), not one round trip each."""
    monkeypatch.setattr(settings, "CACHED_USERS", True)  # as in production with Redis (off in the rest of the suite)
    client.force_login(world.student.user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    get(client, SCHEDULE)
    cache.clear()  # as the cold round starts: sessions, people, generations and pages all gone
    cache.set(STAMP_KEY, copies_digest(), None)  # read again after an emptying by its first request only
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    trips = CacheTrips(monkeypatch)
    page = get(client, SCHEDULE)
    # the session (and the stamp), then the page's lookup with the session's store, then the page's store with the
    # person's; before: a `set` of the session and an `add` of the person between them
    assert trips.trips == ["get_many", "get_many", "add_then_set"], trips.trips
    assert cache.get(f"user:{world.student.user.pk}").pk == world.student.user.pk
    cache.delete(f"pages-gen:{world.student.user.pk}")  # its page ended: the next visit builds it again
    trips.trips.clear()
    with CaptureQueriesContext(connection) as captured:
        again = get(client, SCHEDULE)  # the session and the person from the cache; only the page's own query
    assert trips.trips[:1] == ["get_many"] and "set" not in trips.trips and "add" not in trips.trips, trips.trips
    assert len(captured.captured_queries) == 1, [query["sql"] for query in captured.captured_queries]
    assert _without_tokens(again) == _without_tokens(page)


@pytest.mark.skipif(not settings.SHARED_CACHE, reason="the pages are kept only in a cache every process shares")
def test_a_page_built_while_its_missing_generation_was_renewed_is_not_served(client, world, monkeypatch):
    client.force_login(world.student.user)
    cache.clear()
    slots_for_student = selectors.slots_for_student

    def changed_meanwhile(*, user):  # the generations were read missing; a change commits while the page is built
        rows = slots_for_student(user=user)
        student_pages_changed(user.pk)
        return rows

    monkeypatch.setattr(selectors, "slots_for_student", changed_meanwhile)
    get(client, SCHEDULE)
    monkeypatch.setattr(selectors, "slots_for_student", slots_for_student)
    queries = served_queries(client, SCHEDULE)
    assert [sql for sql in queries if "commissions_slot" in sql]  # built again, not the page built before the change

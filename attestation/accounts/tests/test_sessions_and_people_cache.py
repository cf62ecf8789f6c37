"""Sessions and the signed-in person served from the shared cache (Redis in production, the test process's memory
here): a session is not tied to one node or to the cache, and every change of the person counts at once."""

import datetime as dt
import os
import runpy

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attestation.accounts.backends import UsernameOrEmailBackend
from attestation.core.cache import NOT_READ, read_ahead, take_read_ahead
from attestation.core.student_pages import student_pages_changed
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HOME = "/"


@pytest.fixture(autouse=True)
def _cached_users(settings):
    settings.CACHED_USERS = True  # as in production with Redis (off in the rest of the suite)


def _logged_in(username="aigerim") -> tuple[Client, object]:
    user = UserFactory(username=username)
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": "pw-attest-1"}).status_code == 302
    return client, user


def _signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def _queries_on(table: str, client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(HOME)
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def _settings_with(monkeypatch, **environ) -> dict:
    for name in ("DJANGO_CACHE_URL", "CELERY_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(os.path.join(settings.BASE_DIR, "attestation", "settings.py"))


def test_with_redis_sessions_are_kept_in_the_database_and_read_from_the_shared_cache(monkeypatch):
    found = _settings_with(monkeypatch, CELERY_BROKER_URL="redis://127.0.0.1:6379/3")
    assert found["CACHES"]["default"]["BACKEND"] == "attestation.core.cache.ReusedClientRedisCache"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert found["SESSION_ENGINE"] == "attestation.core.sessions.cached_db"
    assert found["SHARED_CACHE"] is True and found["CACHED_USERS"] is True


def test_without_redis_nothing_that_must_stay_current_is_cached_per_process(monkeypatch):
    found = _settings_with(monkeypatch, CELERY_BROKER_URL="filesystem://")
    assert found["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert found["SESSION_ENGINE"] == "attestation.core.sessions.db"
    assert found["SHARED_CACHE"] is False and found["CACHED_USERS"] is False


def test_a_cache_url_other_than_redis_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        _settings_with(monkeypatch, DJANGO_CACHE_URL="memcached://127.0.0.1:11211")


def test_a_session_outlives_a_flushed_cache_so_it_is_tied_to_no_node():
    client, _user = _logged_in()
    cache.clear()  # another node, or Redis restarted
    assert _signed_in(client)


def test_a_session_is_read_from_the_cache_not_the_database():
    client, _user = _logged_in()
    client.get(HOME)
    assert _queries_on("django_session", client) == []


def test_after_logout_the_old_cookie_opens_nothing():
    client, _user = _logged_in()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get(HOME).status_code == 302


def test_the_signed_in_person_is_read_from_the_cache_not_the_database():
    client, _user = _logged_in()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=10)):  # the login's own save is seconds behind
        client.get(HOME)
        assert _queries_on("accounts_user", client) == []


def test_a_deactivated_person_is_signed_out_on_the_next_request():
    client, user = _logged_in()
    assert _signed_in(client)
    user.is_active = False
    user.save()
    assert not _signed_in(client)


def test_after_an_emptied_cache_each_session_reads_its_own_person_from_the_database():
    """The session's and the person's reads on a miss are compiled once per process: each cold request still gets its
    own session and its own person, and a person deactivated while the cache was empty is signed out."""
    first, first_user = _logged_in("aigerim")
    second, second_user = _logged_in("bolat")
    cache.clear()
    assert first.get(HOME).wsgi_request.user.pk == first_user.pk
    assert second.get(HOME).wsgi_request.user.pk == second_user.pk
    type(second_user).objects.filter(pk=second_user.pk).update(is_active=False)  # no save: nothing renewed
    cache.clear()
    assert first.get(HOME).wsgi_request.user.pk == first_user.pk
    assert not _signed_in(second)


def test_a_new_password_ends_the_other_sessions_at_once():
    client, user = _logged_in()
    assert _signed_in(client)
    user.set_password("a-new-Pass-2026")
    user.save()
    assert not _signed_in(client)


def test_a_renamed_person_sees_the_new_name_on_the_next_page():
    client, user = _logged_in()
    client.get(HOME)
    user.last_name = "Сейітқали"
    user.save()
    assert "Сейітқали" in client.get(HOME).content.decode()


def test_the_chosen_language_counts_on_the_next_page_without_the_cookie():
    client, user = _logged_in()
    client.get(HOME)
    client.post(reverse("set_language"), {"language": "ru", "next": HOME})
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # another device: only the person's choice
    assert client.get(HOME).headers["Content-Language"] == "ru"
    user.refresh_from_db()
    assert user.preferred_language == "ru"


def test_a_person_changed_while_another_request_read_the_old_row_is_not_cached_back():
    user = UserFactory(username="aigerim")
    stale = type(user).objects.get(pk=user.pk)  # read before the change committed
    user.first_name = "Changed"
    user.save()
    cache.add(f"user:{user.pk}", stale)  # what the slow request would try to put back
    assert UsernameOrEmailBackend().get_user(user.pk).first_name == "Changed"


def test_a_students_page_missed_reads_the_person_with_the_page_not_in_a_round_trip_of_its_own(monkeypatch):
    client, user = _logged_in()
    results = reverse("appeals:my_results")
    cache.delete(f"user:{user.pk}")  # the login's "changed" marker, gone 5 s later
    assert client.get(results).status_code == 200  # stored, and the person cached
    student_pages_changed(user.pk)  # as an announcement ends it: the next visit is a miss
    asked: list = []  # each round trip: the keys it asked for (the memory cache's get_many gets them one by one)
    get, get_many, inside = cache.get, cache.get_many, []

    def spy_get_many(keys, **kwargs):
        asked.append(list(keys))
        inside.append(True)
        try:
            return get_many(keys, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get_many", spy_get_many)
    monkeypatch.setattr(cache, "get", lambda key, *a, **kw: (inside or asked.append([key])) and get(key, *a, **kw))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(results)
    assert page.status_code == 200 and user.display_name in page.content.decode()
    assert [f"user:{user.pk}"] not in asked  # read with the generations and the page, one round trip
    assert any(f"user:{user.pk}" in keys and f"pages-gen:{user.pk}" in keys for keys in asked)
    assert not [q for q in captured.captured_queries if 'FROM "accounts_user"' in q["sql"]]  # and from the cache


def test_a_person_read_with_the_page_is_taken_once_and_only_in_that_request():
    with read_ahead({"user:7": "seen"}):
        assert take_read_ahead("user:7") == "seen"
        assert take_read_ahead("user:7") is NOT_READ  # a second read asks the cache again
        assert take_read_ahead("user:8") is NOT_READ
    with read_ahead({"user:7": "seen"}):
        pass
    assert take_read_ahead("user:7") is NOT_READ  # nothing outlives the request

"""A session the cache no longer holds (an emptied cache: the cold round of bench/student_pages.sh) is read from the
database after one cache round trip, not two (attestation/core/sessions/cached_db.py)."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from attestation.core.sessions.cached_db import SessionStore
from attestation.tests.cache_trips import CacheTrips

pytestmark = pytest.mark.django_db


def test_a_session_missing_from_the_cache_is_read_from_the_database_after_one_cache_round_trip(monkeypatch):
    store = SessionStore()
    store["person"] = "42"
    store.create()
    cache.clear()
    trips = CacheTrips(monkeypatch, ("get", "get_many"))
    loaded = SessionStore(store.session_key)
    assert loaded["person"] == "42"
    assert trips.trips == ["get_many"]  # the session and the copies stamp; before: a second `get` of the session
    monkeypatch.undo()
    assert SessionStore(store.session_key)["person"] == "42"  # stored in the cache again
    assert cache.get(SessionStore(store.session_key).cache_key) is not None


def test_a_session_read_from_the_database_is_each_key_s_own_and_an_expired_one_is_none():
    """The read compiled once (attestation/core/sessions: PreparedReadMixin) gets each key's own session, and one
    past its expiry is no session (a new key), as Django's read with the expiry in the query."""
    stores = []
    for person in ("41", "42"):
        store = SessionStore()
        store["person"] = person
        store.create()
        stores.append(store)
    Session.objects.filter(session_key=stores[1].session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    cache.clear()
    assert SessionStore(stores[0].session_key)["person"] == "41"
    expired = SessionStore(stores[1].session_key)
    assert "person" not in expired
    assert expired.session_key is None
    assert SessionStore("no-such-session-key-at-all")._get_session_from_db() is None

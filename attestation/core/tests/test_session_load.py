"""A session the cache no longer holds (an emptied cache: the cold round of bench/student_pages.sh) is read from the
database after one cache round trip, not two (attestation/core/sessions/cached_db.py)."""

import pytest
from django.core.cache import cache

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

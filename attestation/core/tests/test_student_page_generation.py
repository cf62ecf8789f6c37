"""The generations a student's cached pages are stored under (attestation/core/student_pages.py), read on an emptied
cache: what the cold round of bench/student_pages.sh starts with, every request of it a person's first."""

import pytest
from django.core.cache import cache

from attestation.core import student_pages
from attestation.tests.cache_trips import CacheTrips

pytestmark = pytest.mark.skipif(
    not student_pages.settings.SHARED_CACHE, reason="the generations are kept only in a cache every process shares"
)


def test_a_first_read_on_an_emptied_cache_starts_each_generation_in_one_round_trip(monkeypatch):
    cache.delete_many(["pages-gen:all", "pages-gen:424242"])
    calls = CacheTrips(monkeypatch, ("get", "get_many", "add", "set"))
    (everybody, person), _found = student_pages.generation(424242)
    assert calls.trips[calls.trips.index("get_many") :] == ["get_many", "add", "add"]
    assert cache.get_many(["pages-gen:all", "pages-gen:424242"]) == {
        "pages-gen:all": everybody,
        "pages-gen:424242": person,
    }


def test_a_generation_another_request_started_first_is_the_one_both_use(monkeypatch):
    cache.delete("pages-gen:424243")
    cache.set("pages-gen:all", "everybody's", None)
    add = cache.add

    def started_meanwhile(key, value, timeout=None):  # the other request's add lands between our read and ours
        cache.set(key, "the other request's", None)
        return add(key, value, timeout)

    monkeypatch.setattr(cache, "add", started_meanwhile)
    (everybody, person), _found = student_pages.generation(424243)
    assert (everybody, person) == ("everybody's", "the other request's")
    assert cache.get("pages-gen:424243") == "the other request's"

"""The calls a piece of code makes to the shared cache, each a round trip to Redis in production."""

from django.core.cache import cache

from attestation.core import student_pages

CACHE_CALLS = ("get", "get_many", "set", "add", "set_many", "delete")


class CacheTrips:
    """The calls to the shared cache named in `names` while counted, in order: only the outermost (the memory cache's
    get_many calls its get: not another round trip). `add_then_set` — the generations and the page written together,
    one pipeline with Redis — is counted as one, and so is the page's lookup with the writes held back before it."""

    def __init__(self, monkeypatch, names: tuple[str, ...] = CACHE_CALLS) -> None:
        self.trips: list[str] = []
        self._inside = 0
        for name in names:
            monkeypatch.setattr(cache, name, self._counted(name, getattr(cache, name)))
        monkeypatch.setattr(student_pages, "add_then_set", self._counted("add_then_set", student_pages.add_then_set))
        monkeypatch.setattr(  # the page's lookup, with the writes held back before it (cache.write_behind): one
            student_pages, "get_many_after_writes", self._counted("get_many", student_pages.get_many_after_writes)
        )

    def _counted(self, name, call):
        def counted(*args, **kwargs):
            if not self._inside:
                self.trips.append(name)
            self._inside += 1
            try:
                return call(*args, **kwargs)
            finally:
                self._inside -= 1

        return counted

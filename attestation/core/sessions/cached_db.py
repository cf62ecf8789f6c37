"""Django's cached_db sessions, reading the copies stamp in the same round trip as the session (see __init__)."""

from django.contrib.sessions.backends import cached_db

from attestation.core.sessions import STAMP_KEY, CopiesStampMixin, current_stamp


class SessionStore(CopiesStampMixin, cached_db.SessionStore):
    def load(self):
        try:
            found = self._cache.get_many([self.cache_key, STAMP_KEY])
        except Exception:  # as Django's: a key the cache refuses resets the session (#17810)
            found = {}
        data = found.get(self.cache_key)
        if data is None:  # not in the cache: Django's own way (the database), one more round trip only then
            data = super().load()
        return self._fresh(data, current_stamp(found))

"""Django's cached_db sessions, reading the copies stamp in the same round trip as the session (see __init__)."""

from django.contrib.sessions.backends import cached_db

from attestation.core.cache import write_soon
from attestation.core.sessions import STAMP_KEY, CopiesStampMixin, PreparedReadMixin, current_stamp


class SessionStore(CopiesStampMixin, PreparedReadMixin, cached_db.SessionStore):
    def load(self):
        try:
            found = self._cache.get_many([self.cache_key, STAMP_KEY])
        except Exception:  # as Django's: a key the cache refuses resets the session (#17810)
            found = {}
        data = found.get(self.cache_key)
        if data is None:  # not in the cache (just asked): the database, as Django's own load after its cache miss
            data = self._from_database()
        return self._fresh(data, current_stamp(found))

    def _from_database(self) -> dict:
        """Django's cached_db load after its cache miss, without asking the cache again: a cold visit's session is one
        cache round trip and one query, then stored (bench/round_trips.py --cold)."""
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        # with the request's next round trip to the cache, on a student's page (attestation.core.cache.write_behind)
        write_soon(self._cache, self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        return data

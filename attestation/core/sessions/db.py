"""Django's database sessions, with the copies stamp of the process's own cache (see __init__: one process)."""

from django.contrib.sessions.backends import db
from django.core.cache import cache

from attestation.core.sessions import STAMP_KEY, CopiesStampMixin, PreparedReadMixin, current_stamp


class SessionStore(CopiesStampMixin, PreparedReadMixin, db.SessionStore):
    def load(self):
        return self._fresh(super().load(), current_stamp(cache.get_many([STAMP_KEY])))

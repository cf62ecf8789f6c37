"""Sessions that forget what they keep copied from the database once it may have changed (SESSION_ENGINE:
`attestation.core.sessions.cached_db` with a shared cache, `attestation.core.sessions.db` without one).

A value kept with `copy_keep` (the person's institution's time zone: attestation/institutions/middleware.py) is
held with the *copies stamp* read when the session was loaded. `copies_changed()` renews the stamp (an
institution's time zone changed); every session loaded after that drops its copies, and whoever keeps them reads
them again from the database on that request. The stamp is read with the session, in the same cache round trip
(`get_many`): no request pays for it, not even a student's page served from the cache before the person is read
(attestation/core/student_pages.py), whose key holds the zone the session says.

The stamp is a digest of what the copies are copied from (`copies_source`: the institutions' time zones), so that a
cache emptied (a restart of Redis, a flush) does not throw every session's copies away: the first request after it
reads the digest again, one query, and every session whose copies are still true keeps them (no look-up, no write of
the session, the student's page found before the person is read). A session copied from other values (a zone changed
meanwhile, even while the stamp was lost) holds another digest and reads its copies again.

Without a shared cache the stamp lives in the process's own memory cache: right for one process (the demo's
runserver); with several processes a change reaches only the sessions the changing process serves — run them with
a shared cache (docs/performance.md).
"""

import hashlib
import uuid
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from attestation.core.prepared import PreparedQuery

STAMP_KEY = "session-copies-stamp"
_STAMP = "_copies_stamp"  # in the session: the stamp its copies were read under
_COPIES = "_copies"  # in the session: the keys of its copies


_SOURCES: list[Callable[[], str]] = []


def copies_source(source: Callable[[], str]) -> Callable[[], str]:
    """Registers a function that reads, from the database, a text that changes whenever a value sessions copy does
    (the institutions' time zones: attestation/institutions/middleware.py). Read only when the stamp is missing."""
    _SOURCES.append(source)
    return source


def copies_digest() -> str:
    """The stamp of the copies as the database now holds them."""
    return hashlib.sha256("\x1f".join(source() for source in _SOURCES).encode()).hexdigest()[:32]


def copies_changed() -> None:
    """Every session drops its copies at its next request: now (a stamp no digest can equal), and again once the
    transaction has committed (the digest of the committed values: a copy read between the two, from rows before the
    change, is dropped by the second)."""
    cache.set(STAMP_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(STAMP_KEY, copies_digest(), None))


def current_stamp(found: dict) -> str:
    """The stamp in `found` (read with the session); a missing one (an emptied cache) is read again from the database,
    once, and the sessions whose copies are still true keep them."""
    stamp = found.get(STAMP_KEY)
    if stamp is None:
        started = copies_digest()
        stamp = started if cache.add(STAMP_KEY, started, None) else cache.get(STAMP_KEY)
    return stamp


def copy_keep(session, key: str, value) -> None:
    """Keeps `value` under `key` in the session until the copies stamp changes (`copies_changed`)."""
    session[key] = value
    session[_COPIES] = sorted({*session.get(_COPIES, ()), key})
    stamp = getattr(session, "copies_stamp", None)
    session[_STAMP] = stamp if stamp is not None else current_stamp(cache.get_many([STAMP_KEY]))


def is_copy(session, key: str) -> bool:
    """Whether the session holds `key` as a copy (kept with `copy_keep`; a session from before may hold it plainly)."""
    return key in session and key in session.get(_COPIES, ())


class PreparedReadMixin:
    """A session missing from the cache (a cold visit) read from the database by its key with the query compiled once
    per process (attestation/core/prepared.py) instead of built by the ORM on each miss; its expiry is checked here, as
    Django's own read checks it in the query (an expired session is no session, and the request gets a new key)."""

    def _get_session_from_db(self):
        found = _SESSION_ROW.list(self.session_key) if self.session_key is not None else []  # type: ignore[attr-defined]
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None  # as Django's read does for a key it does not find
        return None


_SESSION_ROW = PreparedQuery(lambda key: apps.get_model("sessions", "Session").objects.filter(session_key=key))


class CopiesStampMixin:
    """A session store that reads the copies stamp with the session and drops the copies held under another one."""

    copies_stamp: str | None = None

    def _fresh(self, data: dict, stamp: str) -> dict:
        self.copies_stamp = stamp
        copies = data.get(_COPIES)
        if copies and data.get(_STAMP) != stamp:
            data = {k: v for k, v in data.items() if k not in copies and k not in (_COPIES, _STAMP)}
            self.modified = True  # type: ignore[attr-defined]
        return data

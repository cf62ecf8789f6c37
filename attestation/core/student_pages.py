"""A student's pages that everybody opens at once — the results page, the schedule, the exam page's admission poll —
served whole from the shared cache, per person, until something on them changes (issue 18).

`StudentPageMiddleware` serves a stored page early, before the person is read: its key holds what the session says
(the person's id and the password hash Django checked when the session was made), the session's time zone, the
language chosen so far and whether the browser chose it, and the path. A page is stored only by a request that went
through the whole stack (the session's hash checked, the person active, `login_required`, the view's own permission
check) and whose person and hash are the key's; every save of the person renews their generation. So another
person, a logged-out visitor, a session from before a password change or another language never gets it.
Where the middleware cannot tell (no time zone in the session yet), the view's decorator `student_page` looks the
page up after every middleware, under a key holding the person's id, the path, the language and the time zone.
Pages built ahead (attestation/core/pages_ahead.py: the worker builds a person's page as them, after an
announcement) are stored by the decorator under that view-level key, with the session hash of the person it was built
for and their own language (`_keep_built`). The middleware reads that key with its early one, in the same round trip,
and serves the built page at once if it is of the visit's generation, the session's hash is the one it was built
with and the visit's language is the page's (`_built_for`): the first visit after an announcement costs what a
refresh costs. A visit whose language the person's own decides, when the browser's differs, finds it only after the
person is read, as before: it is served it and stores it under its early key until the page ends (`_built_ahead`).
The view itself decides what may be stored, by calling `cache_for(response, seconds)`: the exam poll only while the
student waits for admission (what it shows then does not depend on the clock), the results page only until the first
open appeal window on it closes.

What ends a stored page — the same *generations* as appeals/results_cache.py, renewed instead of deleted:
- the person's own (`student_pages_changed`): their results announced or amended, an appeal filed or answered, a
  slot of theirs created, moved or deleted, their attempt's state (identified, admitted...), their name or language;
  and, renewed together for every student it concerns (`students_pages_changed`, one round trip), a change of what
  their pages show of a sitting, a commission, its exam settings, an institution, its policy or its own calendar
  days: only the students with a slot there (commissions/page_hooks.py says which change ends whose pages);
- everybody's (`all_student_pages_changed`): a national calendar decree, the one change every institution's appeal
  windows follow.
Both are read before the view reads the database, and renewed at once and again after the transaction commits:
a page built from rows read before a change committed is stored under the old generation, which no one reads again.

A stored page never carries a CSRF token: the tokens of its forms (log out, language) are taken out when it is
stored and fresh ones from the request's own CSRF secret are put in when it is served. A request with messages
waiting to be shown (after a redirect) neither reads nor stores a page.
Only with a shared cache (settings.SHARED_CACHE): a per-process copy could not be ended from another process.
"""

import hashlib
import re
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare

from attestation.core.cache import add_then_set, get_many_after_writes, read_ahead, write_behind

# At most this long, even when nothing changes (a safety net: every change ends it at once).
PAGE_SECONDS = 600
_ALL = "pages-gen:all"
_RENEWED_AT_ONCE = 5000  # people's generations renewed in one MSET (an institution's students: thousands)
_SECONDS_ATTR = "_student_page_seconds"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_NO_TOKEN = b"\x00csrf\x00"  # never in a page: a NUL byte
_EARLY_KEY, _EARLY_GENERATION, _AHEAD = "_student_page_key", "_student_page_generation", "_student_page_ahead"
_STARTED = "_student_page_started"
_WITH_PAGE = "_student_page_read_with"
BUILT_IN = "_student_page_built_in"  # the generation a build read before it read the person (pages_ahead.page_build)
_TZ_SESSION_KEY = "institution_tz"  # attestation.institutions.middleware.SESSION_KEY (the core imports no layer above)


# Keys of the person a miss reads next (the signed-in person's cache: attestation.accounts.backends), read with the page.
_READ_WITH_PAGE: list[Callable[[int], str]] = []


def read_with_page(key: Callable[[int], str]) -> None:
    """Registers the cache key of something every miss of a student's page reads about the person (their cached copy):
    the early lookup reads it in its own round trip and the code that needs it takes it from there
    (attestation.core.cache.take_read_ahead), one round trip less per first or cold visit."""
    if key not in _READ_WITH_PAGE:
        _READ_WITH_PAGE.append(key)


def _student_gen_key(user_id: int) -> str:
    return f"pages-gen:{user_id}"


def _renew(keys: tuple[str, ...]) -> None:
    """One new value for every key (a value none of them ever had), in one round trip for each _RENEWED_AT_ONCE."""
    value = uuid.uuid4().hex
    for start in range(0, len(keys), _RENEWED_AT_ONCE):
        cache.set_many(dict.fromkeys(keys[start : start + _RENEWED_AT_ONCE], value), None)


def _renew_now_and_on_commit(keys: tuple[str, ...]) -> None:
    if not settings.SHARED_CACHE or not keys:
        return
    _renew(keys)
    transaction.on_commit(lambda: _renew(keys))


def student_pages_changed(user_id: int | None) -> None:
    """Every cached page of the person is built again on their next visit."""
    students_pages_changed([user_id])


def students_pages_changed(user_ids: Iterable[int | None]) -> None:
    """Every cached page of each of these people is built again on their next visit: the students a change of a
    sitting, a commission or an institution concerns (commissions/page_hooks.py), renewed together."""
    _renew_now_and_on_commit(tuple(sorted({_student_gen_key(user_id) for user_id in user_ids if user_id is not None})))


def all_student_pages_changed() -> None:
    """Every person's cached pages are built again: only for what concerns every institution's students (a national
    calendar decree); a change of one sitting, commission or institution ends its own students' pages."""
    _renew_now_and_on_commit((_ALL,))


def _read(user_id: int, *extra_keys: str) -> tuple[tuple[str, str], dict, dict]:
    """The person's current generation (everybody's, theirs), the values of `extra_keys`, read at once, and the
    generations this request starts because they are missing (a new person, an emptied cache): not written yet —
    the page stored under them writes them in its own round trip (`_keep`), only where still missing, so a renewal
    or another request's start that lands first counts and the page stored under ours is never served."""
    student_key = _student_gen_key(user_id)
    found = get_many_after_writes([_ALL, student_key, *extra_keys])  # with the session read from the database, if so
    started = {key: uuid.uuid4().hex for key in (_ALL, student_key) if key not in found}
    found.update(started)
    return (found[_ALL], found[student_key]), found, started


def generation(user_id: int, *extra_keys: str) -> tuple[tuple[str, str], dict]:
    """The person's current generation (everybody's, theirs) and the values of `extra_keys`, read at once; a missing
    generation is started (another request's start that lands first counts, for both)."""
    current, found, started = _read(user_id, *extra_keys)
    if not started:
        return current, found
    for key, value in started.items():
        if not cache.add(key, value, None):
            found[key] = cache.get(key)
    return (found[_ALL], found[_student_gen_key(user_id)]), found


def cache_for(response: HttpResponse, seconds: int) -> HttpResponse:
    """The view's word that this response may be served again to the same person for `seconds`."""
    setattr(response, _SECONDS_ATTR, seconds)
    return response


def _messages_waiting(request) -> bool:
    return CookieStorage.cookie_name in request.COOKIES or bool(request.session.get("_messages"))


def _page_key(request) -> str:
    return _view_key(request.user.pk, translation.get_language(), timezone.get_current_timezone_name(), request.path)


def _view_key(user_id: int, language: str, zone: str, path: str) -> str:
    return f"student-page:{user_id}:{language}:{zone}:{path}"


def _keep(key: str, current, response: HttpResponse, *extra, started: dict | None = None) -> None:
    """Stores a plain page the view allows (`cache_for`) under `key` and the generation it was built in, its forms'
    CSRF tokens taken out (`_served` puts fresh ones in); `extra` is kept after the content type, and last the
    moment the page ends (a page built ahead is stored again under the early key until then: `_built_ahead`).
    The generations the request `started` are written in the same round trip, each only where still missing."""
    seconds = getattr(response, _SECONDS_ATTR, None)
    if seconds and response.status_code == 200 and not response.streaming and not response.cookies:
        body = _TOKEN.sub(rb"\1" + _NO_TOKEN + rb"\2", response.content)
        stored = (current, body, response["Content-Type"], *extra, time.time() + seconds)
        if started:
            add_then_set(started, key, stored, seconds)
        else:
            cache.set(key, stored, seconds)


def _keep_built(request, key: str, current, response: HttpResponse, started: dict) -> None:
    """A page built ahead (`pages_ahead.page_build`) is stored under the view's key with its language, the person's own
    language and their session hash, so that the middleware may serve it before the person is read (`_built_for`) —
    only if no change renewed the generation since the build read it, before it read the person: else the person
    (their name, language, password, whether active) may be older than the generation, and nothing is stored."""
    if getattr(request, BUILT_IN) != current:
        return
    user = request.user
    own, auth_hash = user.preferred_language or "", _signed(user.get_session_auth_hash())
    _keep(key, current, response, translation.get_language(), own, auth_hash, started=started)


def _signed(auth_hash: str) -> str:
    """A session hash with the digest of the secrets it was made with: a page built before SECRET_KEY changed is never
    served early to a session of that time (Django logs it out unless the old key is still a fallback)."""
    return f"{_secrets_digest()}:{auth_hash}"


def _served(request, stored: tuple) -> HttpResponse:
    _generation, body, content_type = stored[:3]
    parts = body.split(_NO_TOKEN)
    if len(parts) > 1:  # a fresh token, from this request's own secret (and its cookie if new), in each of its forms:
        body = get_token(request).encode().join(parts)  # one for the page, as a render's `{% csrf_token %}` gives
    return HttpResponse(body, content_type=content_type)


def student_page(view: Callable) -> Callable:
    """Serves the person's page from the shared cache while it is current; stores what the view allows."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        early_key = getattr(request, _EARLY_KEY, None)
        if early_key is None and settings.SHARED_CACHE:  # the session may have got its time zone in this request
            early_key = _early_key(request, translation.get_language_from_request(request))
            if early_key is not None:
                served = _lookup(request, early_key)
                if served is not None:
                    return served
        if early_key is not None:  # looked up already: store what the view allows, under the key looked up
            built = _built_ahead(request, early_key)
            if built is not None:
                return built
            return _store_early(request, early_key, view(request, *args, **kwargs))
        if (
            not settings.SHARED_CACHE
            or request.method != "GET"
            or request.GET
            or not user.is_authenticated
            or _messages_waiting(request)
        ):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        current, found, started = _read(user.pk, key)
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            return _served(request, stored)
        response = view(request, *args, **kwargs)
        if hasattr(request, BUILT_IN):
            _keep_built(request, key, current, response, started)
        else:
            _keep(key, current, response, started=started)
        return response

    wrapper.student_page = True  # type: ignore[attr-defined]
    return wrapper


# --- served before the person is read ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _secrets_digest() -> str:
    """A new SECRET_KEY (or fallbacks) ends every stored page: the session hashes in the keys are made with it."""
    keys = "\x00".join([settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS])
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


@lru_cache(maxsize=4096)
def _is_student_page(path: str) -> bool:
    try:
        return getattr(resolve(path).func, "student_page", False)
    except Resolver404:
        return False


Early = tuple[str, int, str, str, str]  # the key, the person's id, their session hash, the zone, who chose the language


def _early_key(request, language: str) -> Early | None:
    """The page's key from what the request brings before the person is read: the person's id and password hash
    as their session holds them (Django checked both when the session was made), the session's time zone, the
    language chosen so far and whether the browser chose it (else the person's own language decides)."""
    if request.method != "GET" or request.GET or not _is_student_page(request.path_info):
        return None
    session = request.session
    user_id, backend, auth_hash = session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY), session.get(HASH_SESSION_KEY)
    zone = session.get(_TZ_SESSION_KEY)
    if not (user_id and auth_hash and zone is not None) or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    if _messages_waiting(request):
        return None
    chosen = "browser" if settings.LANGUAGE_COOKIE_NAME in request.COOKIES else "person"
    key = f"student-page:{_secrets_digest()}:{user_id}:{auth_hash}:{zone}:{language}:{chosen}:{request.path}"
    return key, int(user_id), auth_hash, zone, chosen


def _early_owner(request, early: Early) -> bool:
    """This request's person is the one the early key names, their session's hash still the key's (the full stack
    checked it: a hash it did not accept logged the request out)."""
    _key, user_id, auth_hash, _zone, _chosen = early
    user = request.user
    return user.is_authenticated and user.pk == user_id and request.session.get(HASH_SESSION_KEY) == auth_hash


def _store_early(request, early: Early, response: HttpResponse) -> HttpResponse:
    """Stored only for the person the key names (`_early_owner`), and if the view allows it."""
    if _early_owner(request, early):
        current, started = getattr(request, _EARLY_GENERATION), getattr(request, _STARTED)
        _keep(early[0], current, response, translation.get_language(), started=started)
    return response


def _built_ahead(request, early: Early) -> HttpResponse | None:
    """The person's page stored under the view's key (built ahead: attestation/core/pages_ahead.py) if it is of the
    generation read for this request: served, and stored under the early key until it ends, so the next visit is
    served before the person is read. The view's key holds this person's id, language and zone, as for any visit
    that is not looked up early."""
    current, key = getattr(request, _EARLY_GENERATION), _page_key(request)
    guessed_key, stored = getattr(request, _AHEAD, (None, None))
    if key != guessed_key:  # the person's own language decided after the lookup: not read with it
        stored = cache.get(key)
    if stored is None or stored[0] != current or len(stored) < 4:
        return None
    seconds = int(stored[-1] - time.time())
    if seconds < 1:
        return None
    if _early_owner(request, early):
        cache.set(early[0], (current, stored[1], stored[2], translation.get_language(), stored[-1]), seconds)
    return _served(request, stored)


class StudentPageMiddleware:
    """Serves a student's cached page (see `student_page`) before the person is read from the cache and before the
    middleware below it runs: one cache round trip after the session's. It sits after the session, the language,
    the CSRF secret and the headers' middleware (X-Frame-Options, the content security policy): a page served here
    goes back through all of them, as any other response. The page counts only while the person's generation is
    the one it was stored under, and every save of the person (password, active, language, name) renews it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.SHARED_CACHE:
            return self.get_response(request)
        # A cold visit's writes go with the round trips it makes next instead of one each: its session read from the
        # database with the page's lookup, its person read from the database with the page's store (or after the view,
        # if nothing is stored). Only here: a session held back until the end of the request could be stored again
        # after the request flushed it (a password changed elsewhere logs it out).
        with write_behind():
            early = _early_key(request, translation.get_language())
            served = _lookup(request, early) if early is not None else None
        if early is None:
            return self.get_response(request)
        if served is not None:
            return served
        with read_ahead(getattr(request, _WITH_PAGE)), write_behind():  # the person, read with the page
            return self.get_response(request)


def _lookup(request, early: Early) -> HttpResponse | None:
    """The stored page if current, or the page built ahead for this session's person in this visit's language; else
    None, and the request remembers the key and the generation to store under."""
    key, user_id, auth_hash, zone, chosen = early
    # Read with it, the page built ahead under the view's key, if this request's language stays the one chosen so far
    # (`_built_ahead` reads it on a miss; one round trip instead of two).
    language = translation.get_language()
    ahead = _view_key(user_id, language, zone, request.path)
    with_page = [read(user_id) for read in _READ_WITH_PAGE]
    current, found, started = _read(user_id, key, ahead, *with_page)
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        return _served_early(request, stored, stored[3], zone)
    if _built_for(found.get(ahead), current, auth_hash, language, chosen):
        return _served_early(request, found[ahead], language, zone)
    setattr(request, _EARLY_KEY, early)
    setattr(request, _EARLY_GENERATION, current)
    setattr(request, _STARTED, started)
    setattr(request, _AHEAD, (ahead, found.get(ahead)))
    setattr(request, _WITH_PAGE, {read: found.get(read) for read in with_page})
    return None


def _built_for(stored: tuple | None, current, auth_hash: str, language: str, chosen: str) -> bool:
    """Whether a page built ahead (`_keep_built`) may be served to this visit before the person is read: of the visit's
    generation (every save of the person renews it: password, active, name, language), built for the session's hash
    as Django checks it (so never for another person, nor for a session from before a password change, whose hash it
    would log out), not ended, and in the language the visit ends up in — the browser's choice, else the person's own
    language, else the one chosen so far. The view's own checks ran when it was built, as the person."""
    if stored is None or len(stored) != 7 or stored[0] != current:
        return False
    _generation, _body, _content_type, built_language, own, built_hash, ends = stored
    decides = own if chosen == "person" and own else language
    return (
        bool(built_hash)
        and constant_time_compare(built_hash, _signed(auth_hash))
        and built_language == decides == language
        and ends > time.time()
    )


def _served_early(request, stored: tuple, language: str, zone: str) -> HttpResponse:
    translation.activate(language)  # the language the page was built in (the person's own, or the browser's)
    request.LANGUAGE_CODE = language
    if zone:
        timezone.activate(zoneinfo.ZoneInfo(zone))
    return _served(request, stored)

"""A student's pages that everybody opens at once — the results page, the schedule, the exam page's admission poll —
served whole from the shared cache, per person, until something on them changes (issue 18).

A view decorated with `student_page` runs after every middleware: the session is loaded and checked, the person
read and their session's password hash verified, the language and the time zone chosen. Only then is the page looked
up, under a key holding the person's id, the path, the language and the time zone: a logged-out visitor or another
person never gets it (another person's key is another key; a logged-out one is sent to the login page first).
The view itself decides what may be stored, by calling `cache_for(response, seconds)`: the exam poll only while the
student waits for admission (what it shows then does not depend on the clock), the results page only until the first
open appeal window on it closes.

What ends a stored page — the same *generations* as appeals/results_cache.py, renewed instead of deleted:
- the person's own (`student_pages_changed`): their results announced or amended, an appeal filed or answered, a
  slot of theirs created, moved or deleted, their attempt's state (identified, admitted...), their name or language;
- everybody's (`all_student_pages_changed`): a commission, a sitting, a policy, the calendar, an institution.
Both are read before the view reads the database, and renewed at once and again after the transaction commits:
a page built from rows read before a change committed is stored under the old generation, which no one reads again.

A stored page never carries a CSRF token: the tokens of its forms (log out, language) are taken out when it is
stored and fresh ones from the request's own CSRF secret are put in when it is served. A request with messages
waiting to be shown (after a redirect) neither reads nor stores a page.
Only with a shared cache (settings.SHARED_CACHE): a per-process copy could not be ended from another process.
"""

import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

# At most this long, even when nothing changes (a safety net: every change ends it at once).
PAGE_SECONDS = 600
_ALL = "pages-gen:all"
_SECONDS_ATTR = "_student_page_seconds"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_NO_TOKEN = b"\x00csrf\x00"  # never in a page: a NUL byte


def _student_gen_key(user_id: int) -> str:
    return f"pages-gen:{user_id}"


def _renew(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)


def _renew_now_and_on_commit(key: str) -> None:
    if not settings.SHARED_CACHE:
        return
    _renew(key)
    transaction.on_commit(lambda: _renew(key))


def student_pages_changed(user_id: int | None) -> None:
    """Every cached page of the person is built again on their next visit."""
    if user_id is not None:
        _renew_now_and_on_commit(_student_gen_key(user_id))


def all_student_pages_changed() -> None:
    """Every person's cached pages are built again (something every page shows has changed)."""
    _renew_now_and_on_commit(_ALL)


def _current(found: dict, key: str) -> str:
    if key not in found:
        cache.add(key, uuid.uuid4().hex, None)
        found[key] = cache.get(key)
    return found[key]


def generation(user_id: int, *extra_keys: str) -> tuple[tuple[str, str], dict]:
    """The person's current generation (everybody's, theirs) and the values of `extra_keys`, read at once."""
    student_key = _student_gen_key(user_id)
    found = cache.get_many([_ALL, student_key, *extra_keys])
    return (_current(found, _ALL), _current(found, student_key)), found


def cache_for(response: HttpResponse, seconds: int) -> HttpResponse:
    """The view's word that this response may be served again to the same person for `seconds`."""
    setattr(response, _SECONDS_ATTR, seconds)
    return response


def _messages_waiting(request) -> bool:
    return CookieStorage.cookie_name in request.COOKIES or bool(request.session.get("_messages"))


def _page_key(request) -> str:
    language, zone = translation.get_language(), timezone.get_current_timezone_name()
    return f"student-page:{request.user.pk}:{language}:{zone}:{request.path}"


def _served(request, stored: tuple) -> HttpResponse:
    _generation, body, content_type = stored
    parts = body.split(_NO_TOKEN)
    if len(parts) > 1:  # a fresh token for each form, from this request's own secret (and its cookie if new)
        body = b"".join(part + get_token(request).encode() for part in parts[:-1]) + parts[-1]
    return HttpResponse(body, content_type=content_type)


def student_page(view: Callable) -> Callable:
    """Serves the person's page from the shared cache while it is current; stores what the view allows."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if (
            not settings.SHARED_CACHE
            or request.method != "GET"
            or request.GET
            or not user.is_authenticated
            or _messages_waiting(request)
        ):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        current, found = generation(user.pk, key)
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            return _served(request, stored)
        response = view(request, *args, **kwargs)
        seconds = getattr(response, _SECONDS_ATTR, None)
        if seconds and response.status_code == 200 and not response.streaming and not response.cookies:
            body = _TOKEN.sub(rb"\1" + _NO_TOKEN + rb"\2", response.content)
            cache.set(key, (current, body, response["Content-Type"]), seconds)
        return response

    return wrapper

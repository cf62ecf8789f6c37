"""A student's page built ahead, as them, where the portal knows they are all about to come (issue 18): in the
minute after an announcement every student of the sitting opens the results page, and each first visit would build
the page itself (attestation/core/student_pages.py).

`page_build(user_id=, path=)` sends one GET of `path` through the site's own middleware and the view, with the
person as the request's user, so the page is the one their own visit would get: the language they chose for
themselves (else the site's), their institution's time zone, the view's own checks (`login_required`, the selectors
that show a person only their own rows). The view's `student_page` decorator stores it under the view's key and the
generation it read before the view ran: a change committed while the page was being built leaves it under the old
generation, which nobody reads. The generation is read once more before the person is, and the page is stored only
if the two are the same: a change of the person (name, language, password) committed between them would otherwise
leave a page built from the person before it under the generation after it. The page is stored with the person's
session hash and own language, so the early middleware can serve it to their session before the person is read
(attestation/core/student_pages.py). A visit whose browser chose another language finds nothing and builds its own.

The request has no session of the person's (the building never logs them in): the middleware that reads the person
from a session is left out and the person is set instead; the session middleware is left out and the request gets an
empty session that is never saved; the early middleware is left out (it keys pages by a session). Everything else
runs as for a visit. Only with settings.SHARED_CACHE: a page built in the worker must be found by the web processes.
"""

import io
import logging
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from attestation.core.queue import queue_batch_after_commit
from attestation.core.student_pages import BUILT_IN, generation

logger = logging.getLogger(__name__)

_LEFT_OUT = (
    "django.contrib.sessions.middleware.SessionMiddleware",  # the request's own empty session, never saved
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # the person is set on the request instead
    "attestation.core.student_pages.StudentPageMiddleware",  # keys pages by a session the request has not
)


def _view(request: HttpRequest, view_hooks: list[Callable]) -> HttpResponse:
    """The view behind the path, after the middleware's `process_view` (as Django's handler calls them)."""
    match = resolve(request.path_info)
    request.resolver_match = match
    for hook in view_hooks:
        response = hook(request, match.func, match.args, match.kwargs)
        if response is not None:
            return response
    return match.func(request, *match.args, **match.kwargs)


@lru_cache(maxsize=1)
def _handler() -> Callable[[HttpRequest], HttpResponse]:
    view_hooks: list[Callable] = []

    def handler(request: HttpRequest) -> HttpResponse:
        return _view(request, view_hooks)

    for path in reversed(settings.MIDDLEWARE):
        if path not in _LEFT_OUT:
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_view"):
                view_hooks.insert(0, middleware.process_view)
            handler = middleware
    return handler


def _host() -> str:
    """A name the site answers to (the host check of the middleware runs as for a visit)."""
    for host in settings.ALLOWED_HOSTS:
        if host != "*" and "*" not in host:
            return host.lstrip(".")
    return "localhost"


def _request(user, path: str) -> WSGIRequest:
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SERVER_NAME": _host(),
            "SERVER_PORT": "443",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(),
        }
    )
    request.session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    request.user = user
    return request


def build_after_commit(task_name: str, item: int | None) -> None:
    """Adds `item` (a person, a slot: what the task builds for) to this transaction's one build task, sent once the
    transaction has committed (`queue_batch_after_commit`); nothing without a shared cache or without an item."""
    if item is not None and settings.SHARED_CACHE:
        queue_batch_after_commit(task_name, item)


def page_build(*, user_id: int, path: str) -> int | None:
    """Builds the person's page at `path` as their own visit would, so that the view stores it for their first
    visit (if the view allows it); the response's status, or None for a person who cannot log in (inactive, gone)
    or a page the view refuses them (404, 403). Nothing is built without a shared cache."""
    if not settings.SHARED_CACHE:
        return None
    built_in = generation(user_id)[0]  # before the person: a change of them after this read ends what is built
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    request = _request(user, path)
    setattr(request, BUILT_IN, built_in)
    with translation.override(None), timezone.override(None):  # the worker's own language and zone, again after
        try:
            return _handler()(request).status_code
        except (Http404, PermissionDenied):
            return None

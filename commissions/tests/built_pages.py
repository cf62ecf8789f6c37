"""What the tests of pages built ahead (attestation/core/pages_ahead.py) look at: the page stored for a person, their
logged-in browser and their first visit, told apart as served from a built page or rendered."""

import threading
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attestation.core import pages_rebuild, student_pages
from attestation.tests.worker import wait_for
from commissions.models import Slot

SERVED_BUILT = 0  # served before the person is read (the session comes from the cache): nothing read, nothing rendered
# Built in the person's own language while the browser asked for another (no language chosen on the site): found only
# once the person is read, the one query.
SERVED_BUILT_AFTER_THE_PERSON = 1
# After the cache was emptied (and the browser's session with it): the session read from the database, then served
# from the page built again, before the person is read and without rendering it.
SERVED_REBUILT = SERVED_BUILT + 1


def built_key(user, path: str, language: str = "kk") -> str:
    """The view's key of the person's page (student_pages._page_key), where a page built ahead is stored."""
    zone = Slot.objects.filter(student__user=user).values_list("sitting__commission__institution__time_zone", flat=True)[0]
    return student_pages._view_key(user.pk, language, zone, path)


def built(user, path: str, language: str = "kk") -> bytes | None:
    """The person's page stored under the view's key (student_pages._page_key) if it is of their current generation."""
    stored = cache.get(built_key(user, path, language))
    return stored[1] if stored is not None and stored[0] == student_pages.generation(user.pk)[0] else None


def logged_in(user) -> Client:
    """The person's browser, logged in before the change (a login saves the person: it ends their pages)."""
    client = Client()
    client.force_login(user)
    return client


def first_visit(client: Client, path: str) -> tuple[str, int | None]:
    """The person's visit of the page: its text, and how many queries it asked — or None if it rendered a template
    (the results table alone is cached too: a render of the page around it may ask no more than the person). Only
    this thread's renders count: a build the worker thread runs meanwhile (a later transaction's batch) is not the
    visit's."""
    rendered: list = []
    here = threading.get_ident()  # the worker runs in a thread of this process: its builds render templates too

    def record(sender, **kwargs) -> None:
        if threading.get_ident() == here:
            rendered.append(sender)

    template_rendered.connect(record, weak=False, dispatch_uid="first_visit")
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    finally:
        template_rendered.disconnect(dispatch_uid="first_visit")
    assert response.status_code == 200
    return response.content.decode(), None if rendered else len(captured.captured_queries)


def emptied_and_rebuilt(all_built: Callable[[], object]) -> int | None:
    """Waits for the worker to build the pages ahead (`all_built()`), empties the cache as a Redis restarted without
    its data does, runs the beat job that builds them again (attestation/core/pages_rebuild.py) and waits for the
    worker again; what the job sent."""
    assert wait_for(all_built, 30)
    cache.clear()
    assert not all_built()
    sent = pages_rebuild.pages_rebuild(now=timezone.now())
    assert wait_for(all_built, 30)
    return sent


def held_back(monkeypatch) -> list:
    """What the rebuild job sends from now on, by task, kept here instead of sent: [(task name, items)]."""
    tasks: list = []
    monkeypatch.setattr(pages_rebuild, "queue_now", lambda name, items: tasks.append((name, items)))
    return tasks

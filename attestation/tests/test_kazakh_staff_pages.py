"""No English, no rule codes and no Russian on a Kazakh page, for every staff role (issue 20).

Each staff login of the demo (the institution's administrator, the registrar, the head of department, the
commission's chair, member and technical secretary, the appeal commission's chair and the college's head, chair and
secretary) opens its home page, every page of the URL conf that needs no id, and then every page those link to (links
and htmx fragments), breadth first, in Kazakh. The demo is built once for the module. A new page is caught as soon as
it is linked from a page a role sees; the failure names the login, the URL and the words.
"""

import io
from collections import Counter, deque
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import get_commands
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from attestation.institutions.models import Student
from attestation.tests.page_language import kazakh_page_problems, parse
from portal.demo import DEMO_LOGINS, demo_create
from portal.management.commands.seed_demo import LAYERS, layer_run

STAFF = [username for role, username in DEMO_LOGINS.items() if not role.startswith("student")]
# Not pages: leaving, switching the language, Django's admin, the token API, health probes, files.
SKIP = ("/accounts/logout", "/i18n/", "/admin/", "/api/v1/", "/static/", "/media/", "/health/", "/ping/")
FILES = (".pdf", ".xlsx", ".csv", ".zip", ".ics", ".docx", "/download", "/file", "/xlsx")
PAGES_PER_VIEW = 2  # two objects of a kind show the template; the rest only repeat it
MAX_PAGES_PER_LOGIN = 250


def _demo() -> None:
    """The demo as `seed_demo` makes it (tickets, admission, defenses, results, applications, year end)."""
    demo_create()
    available = get_commands()
    for layer in LAYERS:
        layer_run(layer, available, stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once inside a transaction rolled back after the module; one client for every page."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("kk-media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _demo()
            exempt = set()
            for student in Student.objects.all():  # names as entered: a Russian-taught student's name is Russian
                exempt |= {student.full_name, student.last_name_ru, student.first_name_ru}
            yield {"client": Client(), "exempt": exempt}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _pages_without_ids(resolver=None, prefix: str = "") -> list[str]:
    """Every GET page of the URL conf whose route takes no parameter (lists, forms, home pages)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            found += _pages_without_ids(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            found.append("/" + prefix + route)
    return [url for url in found if not url.startswith(SKIP) and not url.endswith(FILES)]


def _wanted(url: str) -> bool:
    path = urlsplit(url).path
    return url.startswith("/") and not url.startswith("//") and not path.startswith(SKIP) and not path.endswith(FILES)


def _crawl(client: Client, username: str, exempt: set[str]) -> tuple[dict[str, list[str]], int]:
    """The Kazakh pages one login reaches, and what is wrong on each."""
    client.cookies = SimpleCookie()
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    queue: deque[tuple[str, str | None]] = deque((url, None) for url in ["/", *_pages_without_ids()])
    seen, per_view, found, pages = set(), Counter(), {}, 0
    while queue and pages < MAX_PAGES_PER_LOGIN:
        url, linked_from = queue.popleft()
        url = url.split("#")[0]
        if url in seen or not _wanted(url):
            continue
        seen.add(url)
        try:
            view = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        per_view[view] += 1
        if per_view[view] > PAGES_PER_VIEW:
            continue
        response = client.get(url, secure=True)
        if response.status_code == 404 and linked_from is not None:  # a link shown to someone it refuses
            found.setdefault(linked_from, []).append(f"links to {url}, which answers 404 to {username}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        if problems := kazakh_page_problems(html, exempt):
            found[url] = problems
        queue.extend((link, url) for link in parse(html).links)
    return found, pages


@pytest.mark.parametrize("username", STAFF)
def test_every_page_a_staff_role_reaches_in_kazakh_is_kazakh(demo, db, username):
    found, pages = _crawl(demo["client"], username, demo["exempt"])
    assert pages >= 3, f"{username} reached only {pages} Kazakh pages: is the login broken?"
    report = "\n".join(f"  {url}: {'; '.join(problems)}" for url, problems in sorted(found.items()))
    assert not found, f"Not Kazakh, or a link refusing {username}, on {len(found)} of {pages} pages:\n{report}"

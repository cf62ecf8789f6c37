"""Opens every demo login's home page and the pages it links to, as a newcomer clicking around would, and lists
every answer that is a server error. Run inside the portal's process (the test runs it on a fresh SQLite demo)."""

import json
import re

from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment

from portal.demo import DEMO_LOGINS

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("logout", "/static/", "/media/", "/admin/", "language=", "/i18n/")
# Pages one click further than `depth` that are opened too (few, and each with its own queries): the audit trails.
DEEPER = ("/trail/",)


def server_errors(*, depth: int = 2) -> list[dict]:
    """[{login, url, status or error}] for each page that answered 5xx or raised, `depth` clicks from home."""
    errors = []
    for username in DEMO_LOGINS.values():
        client = Client(raise_request_exception=True)
        client.force_login(get_user_model().objects.get(username=username))
        seen: set[str] = set()
        frontier = ["/"]
        for _ in range(depth):
            frontier = [
                link
                for url in frontier
                if url not in seen and not any(s in url for s in SKIP)
                for link in _open(client, url, seen, errors, username)
            ]
        for url in {link for link in frontier if any(d in link for d in DEEPER)} - seen:
            _open(client, url, seen, errors, username)
    return errors


def _open(client, url: str, seen: set[str], errors: list[dict], username: str) -> list[str]:
    seen.add(url)
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 - any exception is the bug being looked for
        errors.append({"login": username, "url": url, "error": repr(exc)[:500]})
        return []
    if response.status_code >= 500:
        errors.append({"login": username, "url": url, "status": response.status_code})
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return [link.replace("&amp;", "&") for link in HREF.findall(response.content.decode())]


def main() -> None:
    setup_test_environment()  # the test client's host and the in-memory e-mail outbox
    print("DEMO_PAGE_ERRORS " + json.dumps(server_errors()))  # noqa: T201

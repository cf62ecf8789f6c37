"""The browser for every browser test: Debian's Chromium driven by Playwright (required: missing, the run fails).

A pytest plugin (the root conftest.py loads it), so the stories in every app share these fixtures.
"""

import asyncio
import contextlib
import re
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def async_unsafe_allowed(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django's ORM is used beside it in the test. The one
    place that allows it, for one browser test at a time (`browser` requests it): never for the whole run, where it
    would hide a real async-unsafe call anywhere."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextlib.contextmanager
def event_loop_running(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """`loop` counts as this thread's running loop inside the block. Django's connections opened meanwhile are not
    the thread's own: with a running loop, asgiref's thread-critical Local (django.db.connections) keeps them in a
    context variable of their own, where Django's and pytest-django's clean-up never look. They are closed at the end
    of the block; left open (CONN_MAX_AGE), one stayed idle to the end of the run and the test database could not be
    dropped ("being accessed by other users")."""
    asyncio._set_running_loop(loop)
    try:
        yield
    finally:
        connections.close_all()
        asyncio._set_running_loop(None)


@pytest.fixture(scope="session")
def _chromium():
    """One Chromium for the whole run (starting Playwright and Chromium cost 1-3 s a test): each test gets its own
    contexts (cookies, storage), closed after it. Yields the browser and Playwright's event loop."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        loop = asyncio.get_running_loop()  # Playwright's, marked running between its sync calls
        asyncio._set_running_loop(None)  # until a test asks for the browser: the fixtures set up before it use the ORM
        try:
            yield chromium, loop
        finally:
            asyncio._set_running_loop(loop)
            chromium.close()


@pytest.fixture
def browser(async_unsafe_allowed, _chromium):
    """The run's Chromium with no context open. Playwright's event loop counts as this thread's running loop only
    during the test: outside it, the other tests see no running loop (Django's async-unsafe check, async_to_sync).
    Its async_unsafe_allowed is set up before and undone after it."""
    chromium, loop = _chromium
    with event_loop_running(loop):
        assert not chromium.contexts
        try:
            yield chromium
        finally:
            for context in chromium.contexts:
                context.close()


def logged_in(
    browser: Browser,
    live_server,
    username: str,
    *,
    language: str = "en",
    width: int = 1280,
    height: int = 900,
    password: str = "pw-attest-1",
    **context_options,
) -> Page:
    """A new browser context (its own cookies) in `language`, signed in through the login form as a person would,
    on the page the login leads to. `context_options` go to Playwright's new_context (java_script_enabled=False…)."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale=language, accept_downloads=True, **context_options
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[method=post] button[type=submit].w-100")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
    return page

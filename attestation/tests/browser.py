"""The browser for every browser test: Debian's Chromium driven by Playwright (required: missing, the run fails).

A pytest plugin (the root conftest.py loads it), so the stories in every app share these fixtures.

No browser call may hang the run. Playwright's navigations and waits have timeouts, but `Page.close()`,
`BrowserContext.close()` and `Browser.close()` have none: a whole-suite run once hung for good in `Page.close()` on a
page that was reloading. The closes go through `close_bounded` (each page left for about:blank first, the close under
a `watchdog`), and every browser test runs under a watchdog of `BROWSER_TEST_SECONDS`: a call that does not return is
cancelled, the test fails saying which, and a browser that no longer answers is replaced for the next test.
"""

import asyncio
import contextlib
import re
import threading
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# A close (the pages left first) that has not returned in this long never will: the browser no longer answers.
CLOSE_SECONDS = 30
LEAVE_MS = 10_000  # leaving a page for about:blank: a navigation, with its own timeout
# A browser test still running after this long (the whole test, its set-up in the body included: the clock starts with
# the browser fixture) fails at its next Playwright call, which is cancelled, instead of hanging. Above the slowest
# healthy browser test on a loaded machine (test_whole_story, which builds the demo in its body), below pytest.ini's
# `timeout` (pytest-timeout, for what hangs outside the browser, where its signal can interrupt the test's thread).
BROWSER_TEST_SECONDS = 1100


class Hung:
    """What a watchdog found: the calls it had to cancel, for the failure's message."""

    def __init__(self) -> None:
        self.what: list[str] = []


@contextlib.contextmanager
def watchdog(loop: asyncio.AbstractEventLoop, seconds: float, what: str, hung: Hung | None = None) -> Iterator[None]:
    """Fails the block if a Playwright call in it has not returned within `seconds`.

    The sync API runs the call as a task of Playwright's event loop and switches this thread to the loop's greenlet
    until the task is done: a call that never returns cannot be interrupted from this thread (a signal raised there
    would kill the loop's greenlet, and Playwright with it). A timer thread asks the loop instead
    (`call_soon_threadsafe`) to cancel every task started in the block; the waiting call then raises CancelledError,
    turned here into a failure that names `what`. Playwright's own tasks (its connection to the driver) were there
    before the block and are left alone; so is the loop, usable for the next call."""
    before = asyncio.all_tasks(loop)  # between two sync calls the loop is idle: read from this thread safely
    expired = threading.Event()

    def cancel() -> None:  # in the loop
        expired.set()
        for task in asyncio.all_tasks(loop) - before:
            task.cancel()

    def expire() -> None:  # in the timer thread
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing left to cancel
            loop.call_soon_threadsafe(cancel)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except asyncio.CancelledError:
        if not expired.is_set():
            raise
        if hung is not None:
            hung.what.append(what)
        pytest.fail(f"{what} did not return within {seconds:g} s: the browser no longer answers", pytrace=False)
    finally:
        timer.cancel()
        if expired.is_set() and hung is not None and what not in hung.what:
            hung.what.append(what)


def _leave(page: Page, timeout_ms: float) -> None:
    """Leaves the page for about:blank (its unload handlers run, its requests end): a navigation, with a timeout. A
    reload the page started itself may interrupt the leaving: then it is let finish, and the page left again."""
    for _attempt in range(3):
        try:
            page.goto("about:blank", timeout=timeout_ms)
            return
        except PlaywrightError:
            with contextlib.suppress(PlaywrightError):
                page.wait_for_load_state(timeout=timeout_ms)


def close_bounded(target: Page | BrowserContext, seconds: float | None = None, hung: Hung | None = None) -> None:
    """Closes a page or a context (and its pages) in bounded time: each page is left first, then closed, the whole
    under a `watchdog` of `seconds` (CLOSE_SECONDS) — a close that does not return fails the test instead of hanging
    the run."""
    seconds = CLOSE_SECONDS if seconds is None else seconds
    pages = [target] if isinstance(target, Page) else list(target.pages)
    with watchdog(target._loop, seconds, f"{type(target).__name__}.close()", hung):
        for page in pages:
            if not page.is_closed():
                _leave(page, min(LEAVE_MS, seconds * 1000 / 4))
        target.close()


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


class Chromium:
    """The run's one Chromium, and Playwright's event loop; replaced (`relaunch`) when it stopped answering."""

    def __init__(self, playwright: Playwright, loop: asyncio.AbstractEventLoop) -> None:
        self.playwright, self.loop = playwright, loop
        self.browser = self.launch()

    def launch(self) -> Browser:
        return self.playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

    def close(self) -> None:
        """Browser.close() has no timeout either: a browser that does not close in time is left to the driver,
        which ends it when Playwright stops."""
        with contextlib.suppress(pytest.fail.Exception), watchdog(self.loop, CLOSE_SECONDS, "Browser.close()"):
            self.browser.close()

    def relaunch(self) -> None:
        """Only while Playwright's loop counts as running (`browser`): its calls need it."""
        self.close()
        self.browser = self.launch()


@pytest.fixture(scope="session")
def _chromium():
    """One Chromium for the whole run (starting Playwright and Chromium cost 1-3 s a test): each test gets its own
    contexts (cookies, storage), closed after it. Yields it with Playwright's event loop (`Chromium`)."""
    with sync_playwright() as p:
        chromium = Chromium(p, asyncio.get_running_loop())  # Playwright's loop, marked running between its sync calls
        asyncio._set_running_loop(None)  # until a test asks for the browser: the fixtures set up before it use the ORM
        try:
            yield chromium
        finally:
            asyncio._set_running_loop(chromium.loop)
            chromium.close()


@pytest.fixture
def browser(async_unsafe_allowed, _chromium):
    """The run's Chromium with no context open. Playwright's event loop counts as this thread's running loop only
    during the test: outside it, the other tests see no running loop (Django's async-unsafe check, async_to_sync).
    Its async_unsafe_allowed is set up before and undone after it. The test's Playwright calls run under a
    `watchdog` of BROWSER_TEST_SECONDS and its contexts are closed in bounded time (`close_bounded`); a browser that
    stopped answering is replaced for the next test, and this one fails saying so."""
    hung = Hung()
    with event_loop_running(_chromium.loop):
        assert not _chromium.browser.contexts
        try:
            with watchdog(_chromium.loop, BROWSER_TEST_SECONDS, "a Playwright call of the test", hung):
                yield _chromium.browser
        finally:
            for context in _chromium.browser.contexts:
                with contextlib.suppress(pytest.fail.Exception):
                    close_bounded(context, hung=hung)
            if hung.what:
                _chromium.relaunch()
                pytest.fail(f"{', '.join(hung.what)} did not return: the browser was replaced", pytrace=False)


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

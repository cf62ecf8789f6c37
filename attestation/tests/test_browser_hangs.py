"""A browser that no longer answers fails the test waiting on it, at once, instead of hanging the run for good:
Playwright's closes and its page scripts have no timeout (attestation/tests/browser.py: `watchdog`, `close_bounded`).

The browser here is one of the test's own, stopped (SIGSTOP) after its page opened: it answers nothing, as the one
that hung a whole-suite run in Page.close() on a page that was reloading. Without the guard each call below waits
forever (tried: BrowserContext.close() on a stopped Chromium had not returned after 30 s)."""

import os
import signal
import time
from pathlib import Path

import pytest

from attestation.tests.browser import close_bounded, watchdog

pytestmark = pytest.mark.e2e


def _browser_processes() -> set[int]:
    """This run's Chromium browser processes (not their renderers): the descendants of this process, not looking
    under a browser — whose own children (zygote, GPU, renderers) are, for the instant between their fork and their
    exec, copies of it with its command line (one such copy made a whole-suite run's count two)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [os.getpid()]
    while todo:
        for pid in children.get(todo.pop(), []):
            try:
                command = (Path("/proc") / str(pid) / "cmdline").read_bytes()
            except OSError:
                continue
            if command.split(b"\0")[0].endswith(b"chromium") and b"--type=" not in command:  # not a renderer
                found.add(pid)
            else:
                todo.append(pid)
    return found


@pytest.fixture
def stopped_page(browser, _chromium):
    """A page of a Chromium of the test's own (beside the run's, `browser`, which marks Playwright's loop running for
    the test), whose process is stopped: it answers nothing until let go after."""
    before = _browser_processes()
    browser = _chromium.launch()
    (pid,) = _browser_processes() - before
    page = browser.new_context().new_page()
    page.set_content("<p>there</p>")
    os.kill(pid, signal.SIGSTOP)
    try:
        yield page
    finally:
        os.kill(pid, signal.SIGCONT)  # let go: it answers again, and is closed
        close_bounded(page.context, seconds=10)
        browser.close()


def test_a_context_close_the_browser_never_answers_fails_within_its_bound(stopped_page):
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match=r"BrowserContext\.close\(\) did not return within 2 s"):
        close_bounded(stopped_page.context, seconds=2)
    assert time.monotonic() - started < 5


def test_a_page_close_the_browser_never_answers_fails_within_its_bound(stopped_page):
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match=r"Page\.close\(\) did not return within 2 s"):
        close_bounded(stopped_page, seconds=2)
    assert time.monotonic() - started < 5


def test_a_call_without_a_timeout_of_its_own_fails_under_the_watchdog_and_playwright_goes_on(
    stopped_page, browser, _chromium
):
    started = time.monotonic()
    with (
        pytest.raises(pytest.fail.Exception, match="the page's script did not return within 2 s"),
        watchdog(_chromium.loop, 2, "the page's script"),
    ):
        stopped_page.evaluate("1 + 1")  # Page.evaluate has no timeout
    assert time.monotonic() - started < 5
    other = browser.new_context().new_page()  # the run's own browser and Playwright's loop still answer
    other.set_content("<p>still here</p>")
    assert other.inner_text("p") == "still here"
    close_bounded(other.context)

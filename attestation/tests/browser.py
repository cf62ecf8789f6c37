"""The browser for every browser test: Debian's Chromium driven by Playwright (required: missing, the run fails).

A pytest plugin (the root conftest.py loads it), so the stories in every app share these fixtures.
"""

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def async_unsafe_allowed(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django's ORM is used beside it in the test.
    Requested first, so it is undone last."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()

"""The browser for the e2e stories: Debian's Chromium driven by Playwright (required, never skipped)."""

import pytest
from playwright.sync_api import sync_playwright

from commissions.tests.conftest import ncalayer  # noqa: F401 - the NCALayer stand-in, for the signing steps

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def async_unsafe_allowed(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django's ORM is used beside it in the test."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()

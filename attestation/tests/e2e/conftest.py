"""The browser for the e2e stories: Debian's Chromium driven by Playwright (required, never skipped)."""

from commissions.tests.conftest import ncalayer  # noqa: F401 - the NCALayer stand-in, for the signing steps

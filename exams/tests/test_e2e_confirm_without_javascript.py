"""In a real headless Chromium: marking a student absent cannot happen on one click — with JavaScript the browser
asks (no marks the student absent at once, cancel leaves nothing done), without it the server asks on a page."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from attestation.tests.browser import logged_in
from exams.models import Attempt
from exams.tests.conftest import slot_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(django_settings.BASE_DIR) / "artifacts" / "e2e"


def _state(slot) -> str | None:
    attempt = Attempt.objects.filter(slot=slot).first()
    return attempt.state if attempt else None


def test_without_javascript_absent_is_asked_on_a_page_and_cancel_does_nothing(live_server, browser, world, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    slot = slot_of(world, world.student)
    page = logged_in(browser, live_server, world.secretary.username, width=390, height=844, java_script_enabled=False)
    console = f"{live_server.url}/sittings/{world.sitting.pk}/console/"
    page.goto(console)
    page.click(f"tr[data-slot='{slot.pk}'] button[data-move='absent']")
    page.wait_for_selector(".confirm-page")
    assert f"Absent: {world.student.full_name}? This cannot be undone." in page.inner_text(".confirm-question")
    assert _state(slot) != Attempt.State.ABSENT
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "confirm-absent-without-javascript-390.png"), full_page=True)
    page.click(".confirm-page a:text('Cancel')")
    page.wait_for_url(console)
    assert _state(slot) != Attempt.State.ABSENT
    page.click(f"tr[data-slot='{slot.pk}'] button[data-move='absent']")
    page.click(".confirm-page button[type=submit]")
    page.wait_for_url(console)
    assert _state(slot) == Attempt.State.ABSENT


def test_with_javascript_absent_is_asked_in_the_browser_once(live_server, browser, world, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    slot = slot_of(world, world.student)
    page = logged_in(browser, live_server, world.secretary.username, width=390, height=844)
    page.goto(f"{live_server.url}/sittings/{world.sitting.pk}/console/")
    button = f"tr[data-slot='{slot.pk}'] button[data-move='absent']"
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(button)
    page.wait_for_timeout(500)
    assert _state(slot) != Attempt.State.ABSENT and not page.is_visible(".confirm-page")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(button)
    page.wait_for_selector(f"tr[data-slot='{slot.pk}'] .state-badge:text('absent')")
    assert _state(slot) == Attempt.State.ABSENT and not page.is_visible(".confirm-page")

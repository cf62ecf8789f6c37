"""The desk for today in a real headless Chromium: when the secretary admits a student on the console, the chair's desk
shows it by itself — the queue and the current student change, the polite live region says so — while the keyboard
focus stays on the element it was on. Screenshots of the desk in Kazakh, on a desktop and a 390 px phone."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from attestation.tests.browser import logged_in
from commissions.models import Sitting, Slot
from exams import services
from exams.models import Attempt
from exams.tests.conftest import make_tickets, move, slot_of
from proctoring import services as proctoring_services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"


@pytest.fixture
def plain_cookies(settings):
    """The live server speaks plain HTTP: the session and CSRF cookies must reach it."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def quick_poll(settings):
    settings.TODAY_DESK_POLL_SECONDS = 1


def held_today(world) -> None:
    """The world's sitting moved to today (in the institution's zone), its slots with it."""
    today = timezone.localtime(timezone.now(), ZoneInfo(world.institution.time_zone)).date()
    zone = ZoneInfo(world.institution.time_zone)
    Sitting.objects.filter(pk=world.sitting.pk).update(date=today)
    for slot in Slot.objects.filter(sitting=world.sitting):  # the same wall-clock time, today
        slot.starts_at = dt.datetime.combine(today, slot.starts_at.astimezone(zone).time(), tzinfo=zone)
        slot.save(update_fields=["starts_at"])


def room_checked(world, student) -> Slot:
    slot = slot_of(world, student)
    move(services.attempt_for_slot(slot=slot), Attempt.State.IDENTIFIED, actor=world.secretary)
    proctoring_services.room_check_record(
        slot=slot, alone=True, devices_ok=True, room_shown=True, refused=False, note="", actor=world.secretary
    )
    return slot


def test_the_desk_shows_an_admission_by_itself_keeps_the_focus_and_announces_it(
    live_server, browser, world, plain_cookies, quick_poll
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_tickets(world, tickets=4)
    held_today(world)
    slot = room_checked(world, world.student)

    chair = logged_in(browser, live_server, world.chair.username)
    chair.click("[data-test=today-desk]")  # from the home page
    chair.wait_for_selector(f"tr[data-slot='{slot.pk}'][data-stage='room_checked']")
    assert chair.inner_text("[data-test=next-action]") == f"Admit {world.student.full_name}."
    chair.focus("[data-test=next-action-link]")
    chair.evaluate("document.activeElement.dataset.marker = 'kept'")

    secretary = logged_in(browser, live_server, world.secretary.username)
    secretary.goto(f"{live_server.url}/sittings/{world.sitting.pk}/console/")
    secretary.click(f"tr[data-slot='{slot.pk}'] button[data-move='admitted']")
    secretary.wait_for_selector(f"tr[data-slot='{slot.pk}'] .state-badge.text-bg-success")

    chair.wait_for_selector(f"tr[data-slot='{slot.pk}'][data-stage='drawing']")  # no reload
    chair.wait_for_function(
        "text => document.getElementById('today-announce').textContent.includes(text)",
        arg=f"{world.student.full_name} is admitted",
    )
    assert chair.get_attribute("#today-announce", "aria-live") == "polite"
    assert chair.inner_text("[data-test=current-stage]") == "admitted, drawing a ticket"
    # The part holding the focus was left alone: the same element, still in the page, still focused.
    assert chair.evaluate("document.activeElement.dataset.marker") == "kept"
    assert chair.evaluate("document.activeElement.isConnected")
    assert chair.inner_text("[data-test=next-action]") == f"Admit {world.student.full_name}."
    assert chair.evaluate("window.performance.getEntriesByType('navigation').length") == 1

    chair.evaluate("document.activeElement.blur()")  # once the focus leaves, the part catches up
    chair.wait_for_function(
        "text => document.querySelector('[data-test=next-action]').textContent.includes(text)",
        arg=f"{world.student.full_name} is drawing a ticket.",
    )


def test_screenshots_of_the_desk_in_kazakh_on_a_desktop_and_a_phone(live_server, browser, world, plain_cookies):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_tickets(world, tickets=4)
    held_today(world)
    attempt = services.attempt_for_slot(slot=slot_of(world, world.student))
    move(attempt, Attempt.State.IDENTIFIED, Attempt.State.ADMITTED, actor=world.secretary)
    services.ticket_draw(attempt=attempt, actor=world.student.user, card=2)
    room_checked(world, world.other_student)
    for width, name in ((1280, "desktop"), (390, "phone")):
        page = logged_in(browser, live_server, world.secretary.username, language="kk", width=width)
        page.goto(f"{live_server.url}/today/")
        page.wait_for_selector("[data-test=next-action]")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
        page.screenshot(path=str(SHOTS / f"today-desk-kk-{name}.png"), full_page=True)

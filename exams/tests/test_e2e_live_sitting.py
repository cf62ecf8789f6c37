"""End to end in a real headless Chromium: the secretary admits, the student's button turns green and the "my
connection dropped" request appears without a reload, the student draws a ticket, and the console shows it."""

from pathlib import Path

import pytest
from django.conf import settings

from attestation.tests.browser import logged_in
from exams.models import Draw
from exams.tests.conftest import make_tickets, slot_of
from proctoring import services as proctoring_services
from proctoring.tests.conftest import ready_for_identification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"


@pytest.fixture
def insecure_cookies(settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def test_admit_turns_the_students_button_green_and_the_draw_reaches_the_console(
    live_server, browser, world, insecure_cookies
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_tickets(world, tickets=4)
    slot = slot_of(world, world.student)
    ready_for_identification(world)
    proctoring_services.identification_record(
        slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
    )
    proctoring_services.room_check_record(  # R20: the room is checked before admission
        slot=slot, alone=True, devices_ok=True, room_shown=True, refused=False, note="", actor=world.secretary
    )

    student = logged_in(browser, live_server, world.student.user.username)
    student.goto(f"{live_server.url}/exam/{slot.pk}/")
    assert "btn-danger" in student.get_attribute("#enter-button", "class")
    assert not student.is_visible("#interruption-request")  # R24 applies once the student is in the exam
    student.screenshot(path=str(SHOTS / "1-student-waits-red.png"))

    secretary = logged_in(browser, live_server, world.secretary.username)
    secretary.goto(f"{live_server.url}/sittings/{world.sitting.pk}/console/")
    secretary.click(f"tr[data-slot='{slot.pk}'] button[data-move='admitted']")
    secretary.wait_for_selector(f"tr[data-slot='{slot.pk}'] .state-badge.text-bg-success")
    secretary.screenshot(path=str(SHOTS / "2-secretary-admitted.png"))

    student.wait_for_selector("#enter-button.btn-success")  # htmx polling: no reload
    student.wait_for_selector("#interruption-request", state="visible")  # and the R24 request with it
    student.screenshot(path=str(SHOTS / "3-student-green.png"))
    student.click(".ticket-card >> nth=2")
    student.wait_for_selector("#ticket-number")
    draw = Draw.objects.get(attempt__slot=slot)
    assert str(draw.ticket.number) in student.inner_text("#ticket-number")
    student.screenshot(path=str(SHOTS / "4-student-ticket.png"))

    secretary.wait_for_function(
        "([sel, text]) => document.querySelector(sel) && document.querySelector(sel).innerText.includes(text)",
        arg=[f"tr[data-slot='{slot.pk}'] .ticket-cell", f"No. {draw.ticket.number}"],
    )
    secretary.screenshot(path=str(SHOTS / "5-console-shows-ticket.png"))

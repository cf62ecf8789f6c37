"""Computer-based testing in Chromium, in Kazakh: the secretary records a score on the test results page (desktop and
390 px wide), the student's exam page shows the test and its link, the schedule names the test."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from attestation.tests.browser import logged_in
from commissions.models import Result
from exams.exam_settings import exam_settings_update
from exams.models import Attempt
from exams.tests.conftest import admitted, move
from exams.tests.test_testing import started

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"
S = Attempt.State
ENGLISH = re.compile(r"\b(Test results|Record|Correct answers|Computer-based|questions|minutes|Open the test)\b")


@pytest.fixture
def plain_http_cookies(settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def kk(message: str) -> str:
    with translation.override("kk"):
        return gettext(message)


def test_the_secretary_records_a_test_score_in_kazakh_and_the_student_sees_the_test(
    live_server, browser, world, plain_http_cookies
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    exam_settings_update(
        commission=world.commission,
        actor=world.head,
        exam_format="testing",
        test_questions=50,
        test_minutes=60,
        test_url="https://lms.example.kz/test/7",
    )
    attempt = admitted(world)
    student = logged_in(browser, live_server, world.student.user.username, language="kk", width=390)
    student.goto(f"{live_server.url}/exam/{attempt.slot_id}/")
    started(world, attempt=attempt)
    student.reload()
    student.wait_for_selector("#test-link")
    assert kk("Open the test") in student.inner_text("#test-info")
    student.screenshot(path=str(SHOTS / "testing-student-exam-kk-390.png"), full_page=True)
    student.goto(f"{live_server.url}/my/schedule/")
    assert kk("computer-based testing") in student.inner_text("main")
    student.screenshot(path=str(SHOTS / "testing-student-schedule-kk-390.png"), full_page=True)
    move(Attempt.objects.get(pk=attempt.pk), S.FINISHED, actor=world.secretary)

    for width in (1280, 390):
        secretary = logged_in(browser, live_server, world.secretary.username, language="kk", width=width)
        secretary.goto(f"{live_server.url}/sittings/{world.sitting.pk}/testing/")
        if width == 1280:
            secretary.fill(f"#correct-{attempt.slot_id}", "44")
            secretary.click(f"#correct-{attempt.slot_id} + button")
            secretary.wait_for_selector("#testing-table .fw-semibold")
        text = secretary.inner_text("main")
        assert "B+" in text and "44 / 50" in text
        assert not ENGLISH.search(text), ENGLISH.search(text)
        secretary.screenshot(path=str(SHOTS / f"testing-results-kk-{width}.png"), full_page=True)
    assert Result.objects.get(slot_id=attempt.slot_id).source == "testing"

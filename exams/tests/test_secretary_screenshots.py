"""Colleges (001): when the student has prepared the answer and shows the answer sheet, the secretary takes a
screenshot of the screen and keeps it. The screenshot is checked like any answer-sheet photo and kept with the
attempt, numbered with its sheets, marked as the secretary's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attestation.core.models import AuditEvent
from exams import services
from exams.models import AnswerSheet
from exams.tests.conftest import admitted, image_bytes

pytestmark = pytest.mark.django_db


def _preparing(world):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    return attempt


def test_the_secretary_keeps_a_screenshot_of_the_answer_sheet_with_the_attempt(world, tickets, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attempt = _preparing(world)
    sheet = services.answer_sheet_screenshot(
        attempt=attempt, upload=SimpleUploadedFile("screen.png", image_bytes("PNG")), actor=world.secretary
    )
    assert (sheet.attempt, sheet.number, sheet.kind, sheet.taken_by) == (attempt, 1, "png", world.secretary)
    assert AuditEvent.objects.filter(verb="answer_sheet.screenshot", actor=world.secretary).exists()


def test_a_screenshot_that_is_not_an_image_is_refused(world, tickets, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attempt = _preparing(world)
    with pytest.raises(ValidationError, match="not a photo"):
        services.answer_sheet_screenshot(
            attempt=attempt,
            upload=SimpleUploadedFile("screen.png", b"<html><script>x</script></html>"),
            actor=world.secretary,
        )
    assert not AnswerSheet.objects.exists()


def test_only_the_one_running_the_sitting_takes_screenshots_and_only_once_the_student_has_a_ticket(world, tickets):
    attempt = admitted(world)
    with pytest.raises(ValidationError):
        services.answer_sheet_screenshot(
            attempt=attempt, upload=SimpleUploadedFile("s.png", image_bytes("PNG")), actor=world.secretary
        )
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.answer_sheet_screenshot(
            attempt=attempt, upload=SimpleUploadedFile("s.png", image_bytes("PNG")), actor=world.student.user
        )


def test_the_desk_uploads_a_screenshot_and_lists_it(client, world, tickets, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attempt = _preparing(world)
    client.force_login(world.secretary)
    url = reverse("exams:desk_screenshot", args=[attempt.slot_id])
    response = client.post(url, {"screenshot": SimpleUploadedFile("screen.jpg", image_bytes("JPEG"))})
    assert response.status_code == 302
    sheet = AnswerSheet.objects.get()
    page = client.get(reverse("exams:desk", args=[attempt.slot_id])).content.decode()
    assert reverse("exams:answer_sheet", args=[sheet.pk]) in page and 'name="screenshot"' in page

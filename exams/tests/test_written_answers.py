"""R25: when video fails, the student answers each question in writing — in the text box or by a photo or PDF —
and the commission sees the answer on the desk and the console."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from attestation.tests.security.hostile import PDF as REAL_PDF
from exams import services
from exams.models import Attempt, QuestionAsked
from exams.tests.conftest import admitted, image_bytes, move, slot_of

pytestmark = pytest.mark.django_db
S = Attempt.State
PDF = REAL_PDF


@pytest.fixture
def question(world, tickets, media):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    services.written_mode_switch(attempt=attempt, actor=world.secretary)
    return services.question_record(
        attempt=attempt, member=world.member, text="Индекс не үшін керек?", actor=world.secretary
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def answer(client, world, question, **data):
    client.force_login(world.student.user)
    url = reverse("exams:student_answer", args=[slot_of(world, world.student).pk, question.pk])
    return client.post(url, data, follow=True)


def test_the_student_answers_with_a_photo_stored_re_encoded(client, world, question):
    photo = image_bytes("JPEG") + b"PAYLOAD-AFTER-THE-PICTURE"  # bytes a re-encoding drops
    answer(client, world, question, answer_file=SimpleUploadedFile("answer.jpg", photo))
    question.refresh_from_db()
    assert question.answered_at is not None and question.answer_file_kind == "jpg"
    stored = question.answer_file.read()
    assert stored.startswith(b"\xff\xd8\xff") and b"PAYLOAD" not in stored
    assert question.answer_file_name == "answer.jpg" and len(question.answer_file_sha256) == 64


def test_the_student_answers_with_a_pdf_and_text_together(client, world, question):
    answer(client, world, question, answer="Іздеуді жылдамдатады", answer_file=SimpleUploadedFile("a.pdf", PDF))
    question.refresh_from_db()
    assert (question.answer_text, question.answer_file_kind) == ("Іздеуді жылдамдатады", "pdf")


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("answer.jpg", b"<html><script>alert(1)</script></html>", "answer.jpg"),
        ("answer.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not accepted"),
        ("answer.png", image_bytes("PNG")[:60], "answer.png"),
        ("answer.html", b"<html></html>", "not accepted"),
    ],
)
def test_a_renamed_html_an_svg_or_a_truncated_picture_is_refused(client, world, question, name, content, said):
    body = answer(client, world, question, answer_file=SimpleUploadedFile(name, content)).content.decode()
    assert said in body
    question.refresh_from_db()
    assert question.answered_at is None and not question.answer_file


def test_a_file_over_the_commissions_limit_is_refused(client, world, question):
    settings_ = services.exam_settings_for(world.commission)
    settings_.answer_sheet_max_mb = 1
    settings_.save()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    body = answer(client, world, question, answer_file=big).content.decode()
    assert "the limit is" in body
    question.refresh_from_db()
    assert question.answered_at is None


def test_an_empty_answer_is_refused(world, question):
    with pytest.raises(ValidationError, match="Write the answer or attach"):
        services.written_answer_submit(question=question, text="  ", actor=world.student.user)


def test_an_answer_is_given_once(world, question):
    services.written_answer_submit(question=question, text="Бірінші", actor=world.student.user)
    with pytest.raises(ValidationError, match="already answered"):
        services.written_answer_submit(
            question=question, text="Екінші", actor=world.student.user, upload=SimpleUploadedFile("a.pdf", PDF)
        )


def test_no_answer_after_the_attestation_is_over(world, question):
    move(question.attempt, S.ANSWERING, S.FINISHED, actor=world.secretary)
    with pytest.raises(ValidationError, match="over"):
        services.written_answer_submit(question=question, text="Кеш", actor=world.student.user)


def test_the_database_refuses_an_answered_question_without_text_or_file(world, question):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionAsked.objects.filter(pk=question.pk).update(answered_at=timezone.now())


def test_the_desk_and_the_console_show_the_answer_to_the_commission(client, world, question):
    services.written_answer_submit(
        question=question, text="Жылдамдық", actor=world.student.user, upload=SimpleUploadedFile("a.png", image_bytes("PNG"))
    )
    file_url = reverse("exams:written_answer_file", args=[question.pk])
    for persona in ("member", "chair", "secretary"):
        client.force_login(getattr(world, persona))
        desk = client.get(reverse("exams:desk", args=[slot_of(world, world.student).pk])).content.decode()
        assert "Жылдамдық" in desk and file_url in desk
    queue = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    assert "in writing: 1 of 1 answered" in queue


def test_the_answer_file_is_a_download_for_the_student_and_the_commission_only(client, world, question):
    services.written_answer_submit(
        question=question, text="", actor=world.student.user, upload=SimpleUploadedFile("a.png", image_bytes("PNG"))
    )
    url = reverse("exams:written_answer_file", args=[question.pk])
    for user in (world.student.user, world.member):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    for user in (world.other_student.user, world.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_another_student_cannot_answer_this_students_question(client, world, question):
    client.force_login(world.other_student.user)
    url = reverse("exams:student_answer", args=[slot_of(world, world.student).pk, question.pk])
    assert client.post(url, {"answer": "x"}).status_code == 404
    question.refresh_from_db()
    assert question.answered_at is None

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from attestation.tests.security.hostile import PDF as REAL_PDF
from exams import services
from exams.models import AnswerSheet
from exams.tests.conftest import admitted, image_bytes
from exams.uploads import answer_sheet_clean

MB = 1024 * 1024


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_a_jpeg_photo_is_re_encoded_without_its_trailing_payload():
    data = image_bytes("JPEG") + b"<script>alert(1)</script>"
    stored, kind = answer_sheet_clean(upload("sheet1.jpg", data), max_bytes=MB)
    assert kind == "jpg" and b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"


def test_a_png_stays_png():
    assert answer_sheet_clean(upload("s.png", image_bytes("PNG")), max_bytes=MB)[1] == "png"


def test_a_heic_photo_is_accepted_and_stored_as_jpeg():
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (64, 64), (10, 200, 30))).save(out, quality=80)
    except Exception:  # noqa: BLE001 - no HEIF encoder in this build
        pytest.skip("no HEIF encoder")
    stored, kind = answer_sheet_clean(upload("IMG_0001.HEIC", out.getvalue()), max_bytes=MB)
    assert kind == "jpg" and stored.startswith(b"\xff\xd8")


def test_a_whole_pdf_is_accepted():
    pdf = REAL_PDF
    assert answer_sheet_clean(upload("sheets.pdf", pdf), max_bytes=MB) == (pdf, "pdf")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sheet.jpg", b"<html><body><script>alert(1)</script></body></html>", "not a photo"),
        (
            "sheet.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "not a photo",
        ),
        ("sheet.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "only JPEG, PNG, HEIC"),
        ("sheet.html", image_bytes("JPEG"), "only JPEG, PNG, HEIC"),
        ("sheet.jpg", image_bytes("JPEG", size=(300, 300))[:400], "damaged or cut off"),
        ("sheet.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "incomplete"),
        ("sheet.jpg", b"", "empty"),
        ("sheet.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not a photo"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(ValidationError) as exc:
        answer_sheet_clean(upload(name, data), max_bytes=MB)
    assert message in exc.value.messages[0] and name in exc.value.messages[0]


def test_an_oversize_file_is_refused_before_it_is_read():
    with pytest.raises(ValidationError, match="the limit is"):
        answer_sheet_clean(upload("big.jpg", b"\xff\xd8\xff" + b"0" * (MB + 1)), max_bytes=MB)


def _writing(world, tickets, written):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt.refresh_from_db()
    return attempt


@pytest.mark.django_db
def test_sheets_are_numbered_in_upload_order(world, tickets, written):
    attempt = _writing(world, tickets, written)
    for i in range(2):
        services.answer_sheet_upload(attempt=attempt, upload=upload(f"p{i}.jpg", image_bytes()), actor=world.student.user)
    assert list(attempt.answer_sheets.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_an_upload_after_the_deadline_and_grace_is_refused(world, tickets, written):
    attempt = _writing(world, tickets, written)
    grace = services.exam_settings_for(world.commission).upload_grace_minutes
    with time_machine.travel(attempt.deadline_at + dt.timedelta(minutes=grace - 1)):
        services.answer_sheet_upload(attempt=attempt, upload=upload("a.jpg", image_bytes()), actor=world.student.user)
    with (
        time_machine.travel(attempt.deadline_at + dt.timedelta(minutes=grace, seconds=1)),
        pytest.raises(ValidationError, match="upload is refused"),
    ):
        services.answer_sheet_upload(attempt=attempt, upload=upload("b.jpg", image_bytes()), actor=world.student.user)
    assert AnswerSheet.objects.filter(attempt=attempt).count() == 1


@pytest.mark.django_db
def test_an_oral_exam_takes_no_answer_sheets(world, tickets):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    with pytest.raises(ValidationError, match="written exam"):
        services.answer_sheet_upload(attempt=attempt, upload=upload("a.jpg", image_bytes()), actor=world.student.user)

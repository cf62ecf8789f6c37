from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.institutions.models import Programme
from attestation.tests.security.hostile import PDF as REAL_PDF
from exams.applications import arts
from exams.applications.models import TranscriptRow
from exams.applications.tests.conftest import score

pytestmark = pytest.mark.django_db


def _scores(world, disciplines):
    Programme.objects.filter(pk=world.programme.pk).update(level=Programme.Level.COLLEGE, arts_and_culture=True)
    score(world.student, disciplines["basic"], TranscriptRow.Kind.FINAL, "88", period="2019-1")
    score(world.student, disciplines["profiling"], TranscriptRow.Kind.FINAL, "91", period="2019-1")


def test_result_from_the_half_year_average_and_the_characteristic(world, disciplines):
    _scores(world, disciplines)
    row = arts.arts_result_set(
        actor=world.head, student=world.student, period="2019-1", characteristic="Сахнада сенімді, техникасы жоғары."
    )
    assert (row.average, row.letter) == (Decimal("89.50"), "B+")


def test_ballet_needs_the_recording_and_employer_reviews(world, disciplines, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Programme.objects.filter(pk=world.programme.pk).update(code="0408013")
    _scores(world, disciplines)
    with pytest.raises(ValidationError) as exc:
        arts.arts_result_set(actor=world.head, student=world.student, period="2019-1", characteristic="Жақсы")
    assert "0408013" in str(exc.value)
    row = arts.arts_result_set(
        actor=world.head,
        student=world.student,
        period="2019-1",
        characteristic="Жақсы",
        recording=SimpleUploadedFile("stage.mp4", b"\x00\x00\x00\x18ftypmp42"),
        employer_reviews=SimpleUploadedFile("reviews.pdf", REAL_PDF),
    )
    assert row.recording and row.employer_reviews


def test_only_the_department_head_sets_it(world, disciplines):
    _scores(world, disciplines)
    with pytest.raises(PermissionDenied):
        arts.arts_result_set(actor=world.chair, student=world.student, period="2019-1", characteristic="x")

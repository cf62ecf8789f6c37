"""Year-end fixtures: tmp media, graded and announced students, a signed vedomost, ID copies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from attestation.tests.factories import examined
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.models import Paper, Slot
from commissions.papers.services import paper_render
from commissions.papers.testca import sign_as
from exams.tests.conftest import image_bytes
from proctoring.services import id_copy_upload

PASSWORD = "pw-attest-1"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def announced(world):
    """Both students graded by the chair and the member (96/92 and 71/68), results announced."""
    everyone_present(world)

    for student, chair_points, member_points in ((world.student, "96", "92"), (world.other_student, "71", "68")):
        slot = Slot.objects.get(sitting=world.sitting, student=student)
        grading.grade_submit(actor=world.chair, slot=slot, points=chair_points)
        grading.grade_submit(actor=world.member, slot=slot, points=member_points)
    grading.results_announce(actor=world.chair, sitting=world.sitting)
    return world


def everyone_present(world):
    """The secretary records every member present and the students are examined: grading needs both (R33)."""
    examined(world.sitting)
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )


def vedomost(world, *, signed: bool = True) -> Paper:
    paper = paper_render(actor=world.secretary, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)
    if signed:
        for user in (world.member, world.chair):  # members sign before the chair
            sign_as(actor=user, paper=paper)
    return paper


def id_copy(student, fmt: str = "PNG"):
    ext = "png" if fmt == "PNG" else "jpg"
    return id_copy_upload(
        student=student, upload=SimpleUploadedFile(f"id.{ext}", image_bytes(fmt, size=(120, 80))), actor=student.user
    )


@pytest.fixture
def id_copies(world, media):
    return [id_copy(world.student), id_copy(world.other_student, "JPEG")]


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

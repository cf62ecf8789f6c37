"""The secretary's screenshot of the answer sheet (colleges, 001): only the secretary who runs the sitting keeps
one on a student's desk — never the student, a member, a proctor or the department, whatever the slot id."""

from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.tests.matrix_base import SECRETARY, Entry, _slot_pk
from exams.tests.conftest import image_bytes

ENTRIES = {
    "exams:desk_screenshot": Entry(
        "post",
        _slot_pk,
        SECRETARY,
        lambda o: {"screenshot": SimpleUploadedFile("screen.png", image_bytes("PNG"))},
    ),
}

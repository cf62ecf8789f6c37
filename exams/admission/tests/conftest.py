import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import StudentFactory, UserFactory
from attestation.tests.security.hostile import PDF as REAL_PDF
from commissions import services as commission_services
from exams.admission import services
from exams.admission.models import ClearanceLine, Conclusion, Review

PDF = REAL_PDF


def pdf_upload(name="thesis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def docx_upload(name="thesis.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """Assertions read English messages; the portal's default language is Kazakh."""
    with translation.override("en"):
        yield


@pytest.fixture
def supervisor(world):
    return world.member


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", first_name="Серік", last_name="Жұмабаев")


@pytest.fixture
def head(world):
    return world.head


@pytest.fixture
def inst_admin(world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    return admin


@pytest.fixture
def defense(world):
    """A defense commission for the world's programme sitting on Wednesday 10 June 2020 from 09:00; students are
    placed in it only once admitted (R16)."""
    commission = commission_services.commission_create(
        actor=world.head,
        institution=world.institution,
        programmes=[world.programme],
        academic_year=2019,
        form="defense",
        name_kk="Қорғау комиссиясы",
        name_ru="Комиссия по защите",
        order_number="15-Б",
        order_date=dt.date(2020, 4, 1),
        period_start=dt.date(2020, 6, 1),
        period_end=dt.date(2020, 6, 30),
    )
    commission_services.sitting_create(
        actor=world.head,
        commission=commission,
        date=dt.date(2020, 6, 10),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(14, 0),
        meeting_url="https://zoom.us/j/2",
    )
    return commission


def register(student, supervisor, reviewer, actor=None):
    return services.thesis_register(
        actor=actor or student.user,
        student=student,
        topic_kk="Ақпараттық жүйелердегі деректерді өңдеу",
        topic_ru="Обработка данных в информационных системах",
        language="kk",
        supervisor=supervisor,
        reviewer=reviewer,
    )


def make_green(student, *, supervisor, reviewer, head, skip: str = ""):
    """Every admission condition met for the student, except `skip`."""
    thesis = register(student, supervisor, reviewer)
    if skip != "electronic_thesis":
        services.thesis_version_upload(actor=student.user, thesis=thesis, upload=docx_upload())
        if skip != "formatting":
            services.thesis_formatting_check(actor=head, thesis=thesis, passed=True)
    if skip != "supervisor_review":
        conclusion = Conclusion.NOT_ADMITTED if skip == "negative_supervisor" else Conclusion.ADMITTED
        services.review_submit(
            actor=supervisor, thesis=thesis, kind=Review.Kind.SUPERVISOR, conclusion=conclusion, text="Жұмыс талаптарға сай."
        )
    if skip != "external_review":
        services.review_submit(
            actor=reviewer,
            thesis=thesis,
            kind=Review.Kind.EXTERNAL,
            conclusion=Conclusion.ADMITTED,
            letter="B+",
            text="Жақсы жұмыс.",
        )
    if skip != "plagiarism":
        services.plagiarism_check_record(
            actor=head,
            thesis=thesis,
            checked_on=dt.date(2020, 5, 4),
            similarity=Decimal("12.5"),
            originality=Decimal("87.5"),
            passed=True,
        )
    if skip != "certificate":
        services.certificate_upload(actor=supervisor, thesis=thesis, upload=pdf_upload("certificate.pdf"))
    for line in ClearanceLine.Line.values:
        cleared = not (skip == "clearance" and line == "library")
        services.clearance_mark(
            actor=head, student=student, line=line, cleared=cleared, note="" if cleared else "2 кітап қайтарылмаған"
        )
    return thesis


def more_students(world, n: int):
    return [StudentFactory(group=world.group, last_name_kk=f"Әлиев{i}", first_name_kk="Нұр") for i in range(n)]

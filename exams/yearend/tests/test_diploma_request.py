import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import Notification
from attestation.institutions.models import Registrar
from attestation.tests.factories import UserFactory
from attestation.tests.security.hostile import PDF as REAL_PDF
from commissions.grading import services as grading
from commissions.models import DocumentJob, Slot
from commissions.papers.portfolio import portfolio_build
from exams.admission.models import ClearanceLine
from exams.yearend import services
from exams.yearend.models import DiplomaRequest
from exams.yearend.tests.conftest import everyone_present, id_copy
from proctoring.services import id_copy_upload

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
ORDER = dt.date(2020, 6, 15)


def read_docx(data: bytes):
    return Document(io.BytesIO(data))


@pytest.fixture
def kazakh_names(world):
    # The Kazakh alphabet puts Б before І; code-point order would not.
    world.student.last_name_kk, world.other_student.last_name_kk = "Ілиясов", "Бекова"
    world.student.last_name_ru, world.other_student.last_name_ru = "Ильясов", "Бекова"
    world.student.save()
    world.other_student.save()
    return world


def create(world):
    return services.diploma_request_create(
        actor=world.head, commission=world.commission, order_number="45-Д", order_date=ORDER
    )


def test_docx_lists_graduates_in_kazakh_alphabetical_order_with_id_copies(kazakh_names, announced, id_copies):
    request = create(kazakh_names)
    with request.docx.open("rb") as handle:
        document = read_docx(handle.read())
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows[1:]]
    assert [row[1] for row in rows] == [kazakh_names.other_student.full_name_kk, kazakh_names.student.full_name_kk]
    assert [row[3] for row in rows] == [kazakh_names.other_student.iin, kazakh_names.student.iin]
    assert len(document.inline_shapes) == 2  # both ID copies embedded
    text = "\n".join(p.text for p in document.paragraphs)
    assert "45-Д" in text and "15.06.2020" in text and "Бекова" in text
    assert document.core_properties.language == "kk"


def test_the_zip_holds_the_docx_and_each_id_copy(world, announced, id_copies):
    request = create(world)
    with request.bundle.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert f"diploma-request-{world.commission.pk}.docx" in names
    assert sorted(n for n in names if n.startswith("id-copies/")) == sorted(
        f"id-copies/{s.iin}-{s.last_name_ru}.{c.kind}"
        for s, c in ((world.student, id_copies[0]), (world.other_student, id_copies[1]))
    )


def test_a_russian_programme_gets_a_russian_request(world, announced, id_copies):
    world.group.study_language = "ru"
    world.group.save()
    request = create(world)
    assert request.language == "ru"
    with request.docx.open("rb") as handle:
        assert read_docx(handle.read()).core_properties.language == "ru"


def test_a_graduate_without_an_id_copy_is_named_and_nothing_is_generated(world, announced, media):
    id_copy(world.student)
    with pytest.raises(ValidationError, match="no ID copy"):
        create(world)
    assert not DiplomaRequest.objects.exists()


def test_a_failed_student_is_not_a_graduate(world, media):
    everyone_present(world)
    for student, points in ((world.student, "90"), (world.other_student, "10")):
        slot = Slot.objects.get(sitting=world.sitting, student=student)
        grading.grade_submit(actor=world.chair, slot=slot, points=points)
        grading.grade_submit(actor=world.member, slot=slot, points=points)
    grading.results_announce(actor=world.chair, sitting=world.sitting)
    id_copy(world.student)
    assert create(world).graduates == 1


def test_the_portfolio_is_due_policy_days_after_the_order(world, announced, id_copies):
    assert create(world).portfolio_due_on == ORDER + dt.timedelta(days=3)


def test_a_late_portfolio_is_flagged_once_and_the_head_told_once(world, announced, id_copies):
    request = create(world)
    deadlines_sweep(now=dt.datetime(2020, 6, 18, 23, 0, tzinfo=ALMATY))  # still the due day
    assert DiplomaRequest.objects.get(pk=request.pk).portfolio_late_at is None
    deadlines_sweep(now=dt.datetime(2020, 6, 19, 0, 1, tzinfo=ALMATY))
    deadlines_sweep(now=dt.datetime(2020, 6, 19, 9, 0, tzinfo=ALMATY))
    assert DiplomaRequest.objects.get(pk=request.pk).portfolio_late_at is not None
    assert Notification.objects.filter(kind=services.PORTFOLIO_LATE, user=world.head).count() == 1
    assert Notification.objects.filter(kind=services.PORTFOLIO_LATE, user=world.secretary).count() == 1


def test_a_portfolio_built_in_time_is_not_flagged(world, announced, id_copies):
    request = create(world)
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.PORTFOLIO,
        commission=world.commission,
        requested_by=world.secretary,
        created_at=dt.datetime(2020, 6, 16, tzinfo=ALMATY),
    )
    portfolio_build(job)
    deadlines_sweep(now=dt.datetime(2020, 6, 20, tzinfo=ALMATY))
    assert DiplomaRequest.objects.get(pk=request.pk).portfolio_late_at is None
    assert not Notification.objects.filter(kind=services.PORTFOLIO_LATE).exists()


def test_generated_once(world, announced, id_copies):
    create(world)
    with pytest.raises(ValidationError, match="already generated"):
        create(world)


def test_head_generates_and_the_registrar_downloads(client, world, announced, id_copies):
    client.force_login(world.head)
    client.post(
        reverse("yearend:diploma_request", args=[world.commission.pk]),
        {"order_number": "45-Д", "order_date": "2020-06-15", "next": "/"},
    )
    request = DiplomaRequest.objects.get()
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    client.force_login(registrar)
    response = client.get(reverse("yearend:diploma_request_file", args=[request.pk, "docx"]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    client.force_login(world.student.user)
    assert client.get(reverse("yearend:diploma_request_file", args=[request.pk, "zip"])).status_code == 404


def test_a_pdf_id_copy_is_named_in_the_list_and_shipped_in_the_zip(world, announced, media):

    id_copy(world.student)
    pdf = REAL_PDF
    copy = id_copy_upload(
        student=world.other_student, upload=SimpleUploadedFile("id.pdf", pdf), actor=world.other_student.user
    )
    request = create(world)
    with request.docx.open("rb") as handle:
        document = read_docx(handle.read())
    name = f"id-copies/{world.other_student.iin}-{world.other_student.last_name_ru}.pdf"
    assert len(document.inline_shapes) == 1
    assert name in [row.cells[5].text for row in document.tables[0].rows[1:]]
    with request.bundle.open("rb") as handle:
        assert zipfile.ZipFile(io.BytesIO(handle.read())).read(name) == copy.file.open().read()


def test_a_graduate_with_an_open_clearance_debt_is_refused_by_name_with_the_debt(world, announced, id_copies):

    ClearanceLine.objects.create(
        student=world.student, line="tuition", cleared=False, note="85 000 ₸", marked_by=world.head, marked_at=timezone.now()
    )
    ClearanceLine.objects.create(
        student=world.other_student, line="library", cleared=True, marked_by=world.head, marked_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="exit \\(clearance\\) sheet") as refused:
        create(world)
    message = str(refused.value)
    assert world.student.full_name in message and "tuition" in message and "85 000 ₸" in message
    assert world.other_student.full_name not in message
    assert not DiplomaRequest.objects.exists()
    ClearanceLine.objects.filter(student=world.student).update(cleared=True)
    assert create(world).graduates == 2

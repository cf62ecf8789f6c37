import datetime as dt
import hashlib
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.celery import app
from attestation.core.models import AuditEvent, Notification
from attestation.institutions.models import Discipline, Registrar
from attestation.tests.factories import UserFactory
from exams.applications.models import TranscriptRow
from exams.yearend import services
from exams.yearend.models import Transfer, TransferItem
from exams.yearend.selectors import department_year
from exams.yearend.tests.conftest import vedomost

pytestmark = pytest.mark.django_db


def zip_of(transfer: Transfer) -> zipfile.ZipFile:
    with transfer.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def send(world, recipient: str) -> Transfer:
    return services.transfer_send(
        actor=world.head, commission=world.commission, recipient=recipient, addressee="registrar@uni.kz"
    )


def test_the_registrar_gets_the_signed_vedomost_and_the_id_copies_recorded_file_by_file(world, announced, id_copies):
    paper = vedomost(world)
    transfer = send(world, Transfer.Recipient.REGISTRAR)
    items = {item.kind: item for item in transfer.items.all() if item.kind == TransferItem.Kind.VEDOMOST}
    assert items["vedomost"].paper == paper
    assert sorted(i.id_copy_id for i in transfer.items.filter(kind="id_copy")) == sorted(c.pk for c in id_copies)
    archive = zip_of(transfer)
    for item in transfer.items.all():
        assert hashlib.sha256(archive.read(item.name)).hexdigest() == item.sha256
    assert archive.read(items["vedomost"].name) == paper.signatures.order_by("signed_at").last().file.open().read()
    assert "index.csv" in archive.namelist()
    assert (transfer.addressee, transfer.sent_by, transfer.due_on) == ("registrar@uni.kz", world.head, world.sitting.date)
    event = AuditEvent.objects.get(verb="yearend.transfer")
    assert len(event.after["files"]) == transfer.items.count()


def test_the_registrar_office_is_told_where_to_download(world, announced, id_copies):
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    vedomost(world)
    transfer = send(world, Transfer.Recipient.REGISTRAR)
    note = Notification.objects.get(user=registrar, kind="yearend_transfer")
    assert note.url == reverse("yearend:transfer_download", args=[transfer.pk])


def test_an_unsigned_vedomost_is_not_sent(world, announced, id_copies):
    vedomost(world, signed=False)
    with pytest.raises(ValidationError, match="Not every document is signed"):
        send(world, Transfer.Recipient.REGISTRAR)
    assert not Transfer.objects.exists()


def test_nothing_to_send_before_the_vedomost(world, announced, id_copies):
    with pytest.raises(ValidationError, match="no grade sheet"):
        send(world, Transfer.Recipient.ARCHIVE)


def test_the_archive_gets_each_students_summary_vedomost(world, announced, media):
    discipline = Discipline.objects.create(
        institution=world.institution,
        code="INF101",
        name_kk="Информатика",
        name_ru="Информатика",
        category="basic",
        credits=5,
    )
    TranscriptRow.objects.create(student=world.student, discipline=discipline, period="2017-1", kind="final", points=91)
    vedomost(world)
    transfer = send(world, Transfer.Recipient.ARCHIVE)
    summaries = transfer.items.filter(kind=TransferItem.Kind.SUMMARY)
    assert sorted(s.student_id for s in summaries) == sorted([world.student.pk, world.other_student.pk])
    mine = summaries.get(student=world.student)
    assert zip_of(transfer).read(mine.name).startswith(b"%PDF")
    assert mine.document.language == "kk" and mine.document.kind == "yearend_summary_vedomost"


def test_transfer_states_on_the_department_page(world, announced, id_copies):
    vedomost(world)
    view = department_year(commissions=[world.commission], today=world.sitting.date + dt.timedelta(days=1))
    assert [state for _, state in view[world.commission.pk].transfer_rows] == ["late", "late"]
    send(world, Transfer.Recipient.REGISTRAR)
    view = department_year(commissions=[world.commission], today=world.sitting.date)
    assert [state for _, state in view[world.commission.pk].transfer_rows] == ["done", "due"]


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


def test_head_requests_the_worker_packs_and_the_outsider_cannot_download(
    client, world, announced, id_copies, eager_celery, django_capture_on_commit_callbacks
):
    vedomost(world)
    client.force_login(world.outsider)
    url = reverse("yearend:transfer_send", args=[world.commission.pk])
    assert client.post(url, {"recipient": "registrar", "addressee": "x"}).status_code == 404
    client.force_login(world.head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"recipient": "registrar", "addressee": "Тіркеуші-офис", "next": "/"})
    transfer = Transfer.objects.get()
    assert transfer.state == Transfer.State.DONE and transfer.items.count() == 3
    download = reverse("yearend:transfer_download", args=[transfer.pk])
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    for user in (world.outsider, world.student.user, world.member):
        client.force_login(user)
        assert client.get(download).status_code == 404


def test_a_queued_transfer_is_packed_once(world, announced, id_copies):
    vedomost(world)
    transfer = services.transfer_request(
        actor=world.head, commission=world.commission, recipient="registrar", addressee="x", queue=False
    )
    assert services.transfer_pack(transfer_pk=transfer.pk).state == Transfer.State.DONE
    assert services.transfer_pack(transfer_pk=transfer.pk) is None
    assert TransferItem.objects.filter(transfer=transfer).count() == 3


def test_a_paper_amended_unsigned_after_the_request_fails_the_packing_with_the_reason(world, announced, id_copies):
    vedomost(world)
    transfer = services.transfer_request(
        actor=world.head, commission=world.commission, recipient="registrar", addressee="x", queue=False
    )
    vedomost(world, signed=False)  # a newer, unsigned version replaces the signed one
    packed = services.transfer_pack(transfer_pk=transfer.pk)
    assert packed.state == Transfer.State.FAILED and "Not every document is signed" in packed.error
    assert not packed.items.exists() and not packed.file
    view = department_year(commissions=[world.commission], today=world.sitting.date)[world.commission.pk]
    assert view.transfers[0].failed == packed and view.transfers[0].last is None


def test_a_transfer_sent_after_the_last_exam_day_is_done_but_marked_late(world, announced, id_copies):
    vedomost(world)
    with time_machine.travel(dt.datetime(2020, 5, 20, 10, 0, tzinfo=dt.UTC)):
        send(world, Transfer.Recipient.REGISTRAR)
    view = department_year(commissions=[world.commission], today=dt.date(2020, 5, 21))[world.commission.pk]
    registrar = view.transfers[0]
    assert registrar.state(dt.date(2020, 5, 21)) == "done" and registrar.late_done

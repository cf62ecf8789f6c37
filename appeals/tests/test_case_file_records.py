"""The appeal's case file shows the attempt's answer sheets, incidents, technical-failure acts and recordings, each
through its own permission-checked download view (issue 20, R48)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from appeals import services
from appeals.tests.conftest import ALMATY
from attestation.documents.models import Document
from attestation.tests.security.hostile import PDF
from exams.models import AnswerSheet, Attempt
from proctoring.models import Incident, Recording, TechnicalFailureAct

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)


@pytest.fixture
def records(world, result, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    slot, now = result.slot, DURING
    attempt = Attempt.objects.create(slot=slot, kind="oral", state="finished")
    sheet = AnswerSheet(attempt=attempt, number=1, kind="pdf", original_name="1.pdf", sha256="0" * 64, uploaded_at=now)
    sheet.file.save("sheet.pdf", ContentFile(PDF), save=True)
    Incident.objects.create(
        slot=slot, kind="third_person", occurred_at=now, note="A voice behind", recorded_by=world.secretary, recorded_at=now
    )
    document = Document(
        kind="proctoring_act",
        language="kk",
        content_type=ContentType.objects.get_for_model(slot),
        object_id=slot.pk,
        sha256="0" * 64,
        created_at=now,
    )
    document.file.save("act.pdf", ContentFile(PDF), save=True)
    act = TechnicalFailureAct.objects.create(
        slot=slot,
        occurred_at=now,
        description="Internet lost",
        language="kk",
        document=document,
        drawn_by=world.secretary,
        drawn_at=now,
    )
    recording = Recording(
        sitting=slot.sitting,
        audience="department",
        keep_until=dt.date(2021, 5, 12),
        added_by=world.secretary,
        added_at=now,
        file_kind="mp4",
    )
    recording.file.save("rec.mp4", ContentFile(b"\0\0\0\x18ftypmp42"), save=True)
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=DURING)
    return {"appeal": appeal, "sheet": sheet, "act": act, "recording": recording}


@time_machine.travel(DURING, tick=False)
def test_the_case_file_lists_the_attempts_records_with_their_downloads(client, records, appeal_people):
    client.force_login(appeal_people[1])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appeals:detail", args=[records["appeal"].pk])).content.decode()
    urls = [
        reverse("exams:answer_sheet", args=[records["sheet"].pk]),
        reverse("proctoring:act_pdf", args=[records["act"].pk]),
        reverse("proctoring:recording_file", args=[records["recording"].pk]),
    ]
    for url in urls:
        assert url in page
        assert client.get(url).status_code == 200
    assert "a third person in the room" in page
    assert "A voice behind" in page
    assert "Internet lost" in page


@time_machine.travel(DURING, tick=False)
def test_the_downloads_stay_closed_to_those_without_the_case(client, world, records, appeal_people):
    urls = [
        reverse("exams:answer_sheet", args=[records["sheet"].pk]),
        reverse("proctoring:act_pdf", args=[records["act"].pk]),
        reverse("proctoring:recording_file", args=[records["recording"].pk]),
    ]
    client.force_login(world.other_student.user)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(world.outsider)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]


@time_machine.travel(DURING, tick=False)
def test_the_institutions_administrator_sees_the_list_but_opens_no_records(client, world, records, inst_admin):
    client.force_login(inst_admin)
    page = client.get(reverse("appeals:detail", args=[records["appeal"].pk])).content.decode()
    sheet = reverse("exams:answer_sheet", args=[records["sheet"].pk])
    assert "A voice behind" in page
    assert sheet not in page
    assert client.get(sheet).status_code == 404

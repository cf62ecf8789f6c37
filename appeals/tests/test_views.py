import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals import services
from appeals.tests.conftest import ALMATY, make_result
from attestation.tests.factories import StudentFactory
from attestation.tests.security.hostile import PDF as REAL_PDF
from commissions import services as commission_services
from commissions.models import Paper, Slot
from commissions.papers.services import paper_render

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)


@time_machine.travel(DURING, tick=False)
def test_student_files_an_appeal_in_the_browser(client, world, result):
    client.force_login(world.student.user)
    page = client.get(reverse("appeals:my_results"))
    assert reverse("appeals:file", args=[result.pk]) in page.content.decode()
    response = client.post(reverse("appeals:file", args=[result.pk]), {"reasons": "Екінші сұрақ бағаланбады"})
    assert response.status_code == 302
    assert result.appeal.reasons == "Екінші сұрақ бағаланбады"


@time_machine.travel(DURING, tick=False)
def test_another_student_changing_the_id_gets_404(client, world, result):
    client.force_login(world.other_student.user)
    assert client.get(reverse("appeals:file", args=[result.pk])).status_code == 404
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=DURING)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404


@time_machine.travel(DURING, tick=False)
def test_attestation_commission_cannot_read_the_deliberations(client, world, result):
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=DURING)
    for persona in (world.secretary, world.chair):
        client.force_login(persona)
        assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404


@time_machine.travel(DURING, tick=False)
def test_a_renamed_executable_attachment_is_refused(client, world, result):
    client.force_login(world.student.user)
    fake = SimpleUploadedFile("evidence.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(reverse("appeals:file", args=[result.pk]), {"reasons": "x", "attachments": [fake]})
    assert response.status_code == 400
    assert not hasattr(result, "appeal") or result.appeal is None


@time_machine.travel(DURING, tick=False)
def test_members_schedule_and_vote_in_the_browser(client, world, result, appeal_people):
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=DURING)
    client.force_login(appeal_people[0])
    url = reverse("appeals:detail", args=[appeal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"hearing": "1", "hearing_at": "2020-05-14T11:00", "url": "https://zoom.us/j/9"})
    assert response.status_code == 302
    late = client.post(url, {"hearing": "1", "hearing_at": "2020-05-15T11:00", "url": ""})
    assert late.status_code == 400
    with time_machine.travel(dt.datetime(2020, 5, 14, 11, 0, tzinfo=ALMATY), tick=False):
        assert 'name="vote"' in client.get(url).content.decode()
        assert client.post(url, {"vote": "1", "outcome": "upheld"}).status_code == 302


@time_machine.travel(DURING, tick=False)
def test_before_the_hearing_the_page_offers_no_vote_and_a_posted_vote_is_refused(client, world, result, appeal_people):
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=DURING)
    services.appeal_schedule_hearing(
        actor=appeal_people[0], appeal=appeal, hearing_at=dt.datetime(2020, 5, 14, 11, 0, tzinfo=ALMATY), now=DURING
    )
    client.force_login(appeal_people[1])
    url = reverse("appeals:detail", args=[appeal.pk])
    page = client.get(url).content.decode()
    assert 'name="vote"' not in page
    response = client.post(url, {"vote": "1", "outcome": "upheld"})
    assert response.status_code == 400
    assert "14.05.2020 11:00" in response.content.decode()
    assert not appeal.votes.exists()


def test_appeal_commission_page_queries_do_not_grow(client, world, appeal_commission, appeal_people):
    client.force_login(appeal_people[0])
    url = reverse("appeals:commission", args=[appeal_commission.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def appeal_for(student):
        slot = Slot.objects.filter(student=student).first() or commission_services.slot_create(
            actor=world.secretary, sitting=world.sitting, student=student
        )
        services.appeal_file(actor=student.user, result=make_result(slot), reasons="x", now=DURING)

    appeal_for(world.student)
    small = count()
    for _ in range(5):
        appeal_for(StudentFactory(group=world.group))
    assert count() == small


@time_machine.travel(DURING, tick=False)
def test_attachments_download_only_to_the_case_and_never_as_html(client, world, result, appeal_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("evidence.pdf", REAL_PDF)
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", attachments=[pdf], now=DURING)
    url = reverse("appeals:attachment", args=[appeal.pk, appeal.attachments.get().pk])
    client.force_login(appeal_people[1])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(world.other_student.user)
    assert client.get(url).status_code == 404


@time_machine.travel(DURING, tick=False)
def test_the_case_file_names_the_protocol_by_kind_number_and_date_not_by_its_raw_kind(
    client, world, result, appeal_people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    paper = paper_render(actor=world.chair, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=result.slot)
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=DURING)
    client.force_login(appeal_people[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "commissions_protocol" not in page
    assert f"Protocol of the exam or defense No. {paper.number} of 12.05.2020" in page
    download = client.get(reverse("appeals:document", args=[appeal.pk, paper.document_id]))
    assert download.status_code == 200
    assert "commissions_protocol" not in download["Content-Disposition"]

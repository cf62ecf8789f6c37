import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.tests.factories import StudentFactory
from exams.applications import services
from exams.applications.incompletes import incomplete_due_set
from exams.applications.models import Application, TranscriptRow
from exams.applications.tests.conftest import DURING, incomplete, pdf

pytestmark = pytest.mark.django_db
Kind = Application.Kind


def _restudy(student, discipline, period):
    return services.application_file(
        actor=student.user, kind=Kind.RESTUDY, discipline=discipline, period=period, reasons="Интернет жоқ"
    )


def test_student_files_a_missed_application_and_sees_its_status(client, world, slot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.student.user)
    response = client.post(
        reverse("applications:new", args=["missed"]), {"slot": slot.pk, "reasons": "Ауырдым", "document": pdf()}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    page = client.get(reverse("applications:mine")).content.decode()
    assert reverse("applications:detail", args=[application.pk]) in page
    assert client.get(reverse("applications:document", args=[application.pk])).status_code == 200


def test_the_form_refuses_a_date_after_the_cutoff_naming_it(client, world, slot):
    client.force_login(world.student.user)
    response = client.post(
        reverse("applications:new", args=["postponement"]),
        {"slot": slot.pk, "ground": "hospital", "requested_date": "2020-07-01", "reasons": "Карантин"},
    )
    assert response.status_code == 400
    assert "30.06.2020" in response.content.decode()
    assert not Application.objects.exists()


def test_a_renamed_file_is_refused_as_a_document(client, world, slot):
    client.force_login(world.student.user)
    fake = SimpleUploadedFile("spravka.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(reverse("applications:new", args=["missed"]), {"slot": slot.pk, "reasons": "x", "document": fake})
    assert response.status_code == 400


def test_head_decides_in_the_browser(client, world, disciplines):
    application = _restudy(world.student, disciplines["basic"], "2019-2")
    client.force_login(world.head)
    assert (
        reverse("applications:detail", args=[application.pk]) in client.get(reverse("applications:queue")).content.decode()
    )
    response = client.post(
        reverse("applications:detail", args=[application.pk]), {"decision": "approve", "target_period": "2019-S"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.target_period) == (Application.State.APPROVED, "2019-S")


def test_chair_sets_the_next_sitting_day_in_the_browser(client, world, slot, later_sitting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = services.application_file(
        actor=world.student.user, kind=Kind.MISSED, slot=slot, reasons="x", document=pdf()
    )
    client.force_login(world.chair)
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            reverse("applications:detail", args=[application.pk]), {"decision": "approve", "sitting": later_sitting.pk}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.new_slot.sitting == later_sitting


def test_another_student_or_an_outsider_gets_404(client, world, disciplines, settings, tmp_path):
    application = _restudy(world.student, disciplines["basic"], "2019-2")
    for user in (world.other_student.user, world.outsider, world.member):
        client.force_login(user)
        assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
        assert client.post(reverse("applications:detail", args=[application.pk]), {"decision": "approve"}).status_code == 404
        assert client.get(reverse("applications:document", args=[application.pk])).status_code == 404


def test_the_student_cannot_decide_their_own_application(client, world, disciplines):
    application = _restudy(world.student, disciplines["basic"], "2019-2")
    client.force_login(world.student.user)
    assert client.post(reverse("applications:detail", args=[application.pk]), {"decision": "approve"}).status_code == 403


def test_transcript_import_page_for_the_registrar_side_only(client, world, disciplines, inst_admin):
    url = reverse("applications:import", args=[world.institution.pk])
    client.force_login(world.head)
    assert client.get(url).status_code == 404
    client.force_login(inst_admin)
    bad = SimpleUploadedFile(
        "s.csv",
        f"IIN,Discipline code,Period,Kind,Points\n{world.student.iin},DB2201,2019-2,"
        f"current,80\n{world.student.iin},XX,2019-2,current,80\n".encode(),
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "XX" in response.content.decode()
    assert TranscriptRow.objects.count() == 0


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_queries_do_not_grow_with_rows(client, world, disciplines):
    periods = [f"{year}-{term}" for year in range(2010, 2020) for term in "12"]
    for period in periods[:2]:
        _restudy(world.student, disciplines["basic"], period)
    client.force_login(world.head)
    url = reverse("applications:queue") + "?state=all"
    two = _queries(client, url)
    for i, period in enumerate(periods[2:]):
        student = StudentFactory(group=world.group) if i % 2 else world.student
        _restudy(student, disciplines["basic2"], period)
    assert Application.objects.count() == 20
    assert _queries(client, url) == two


def test_my_applications_queries_do_not_grow_with_rows(client, world, disciplines):
    periods = [f"{year}-{term}" for year in range(2010, 2020) for term in "12"]
    for period in periods[:2]:
        _restudy(world.student, disciplines["basic"], period)
    client.force_login(world.student.user)
    two = _queries(client, reverse("applications:mine"))
    for period in periods[2:]:
        _restudy(world.student, disciplines["profiling"], period)
    assert _queries(client, reverse("applications:mine")) == two


def test_incomplete_list_for_the_head(client, world, slot):
    incomplete_due_set(actor=world.chair, result=incomplete(slot), due_date=dt.date(2020, 6, 20))
    client.force_login(world.head)
    assert "20.06.2020" in client.get(reverse("applications:incompletes")).content.decode()


def test_a_second_upload_tells_the_registrar_what_it_added_updated_and_left_unchanged(
    client, world, disciplines, inst_admin
):
    url = reverse("applications:import", args=[world.institution.pk])
    client.force_login(inst_admin)
    iin = world.student.iin
    header = "IIN,Discipline code,Period,Kind,Points\n"
    client.post(url, {"file": SimpleUploadedFile("s.csv", f"{header}{iin},DB2201,2019-2,current,80\n".encode())})
    rows = f"{header}{iin},DB2201,2019-2,current,80\n{iin},DB2201,2019-2,final,70\n{iin},ML3301,2019-2,final,60\n"
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", rows.encode())}, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == (
        "3 балл импортталды. Қосылғаны: 2, жаңартылғаны: 0, өзгеріссіз қалғаны: 1."  # the registrar's Kazakh page
    )

"""The proctoring forms and lists speak the sitting's wall clock (issue 20): a time typed into a form is read in the
institution's zone and shown back unchanged, lists show local times, the act's PDF too — whatever the server's
TIME_ZONE and whichever institution the person at the keyboard belongs to.

The zones differ on the day of the test (12 May 2020): the server runs in UTC, the sitting's institution is in
Asia/Almaty (UTC+6 until March 2024), and the secretary and the proctor are staff of a second institution in
Asia/Aqtobe (UTC+5): a form read in any zone but the sitting's is off by one hour or six."""

import datetime as dt
import subprocess
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from attestation.institutions import services as institution_services
from attestation.institutions.models import Institution, Staff
from exams.tests.conftest import admitted, slot_of
from proctoring import services
from proctoring.models import Incident

pytestmark = pytest.mark.django_db
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DURING = dt.datetime(2020, 5, 12, 10, 40, tzinfo=ALMATY)  # 04:40 UTC, 09:40 in Aqtobe


@pytest.fixture
def zones(world, settings):
    """The server in UTC; the secretary and a proctor employed by an institution in another zone."""
    settings.TIME_ZONE = "UTC"
    assert world.institution.time_zone == "Asia/Almaty"
    other = institution_services.institution_create(
        actor=world.head,
        kind=Institution.Kind.HEI,
        short_name="WEST",
        name_kk="Батыс университеті",
        name_ru="Западный университет",
        academic_year=2019,
    )
    Institution.objects.filter(pk=other.pk).update(time_zone="Asia/Aqtobe")
    for user in (world.secretary, world.outsider):
        Staff.objects.create(user=user, institution=other, position="оқытушы")
    services.proctor_assign(sitting=world.sitting, user=world.outsider, actor=world.secretary)
    offsets = {DURING.astimezone(zoneinfo.ZoneInfo(z)).utcoffset() for z in ("Asia/Almaty", "Asia/Aqtobe", "UTC")}
    assert len(offsets) == 3, "the venv's tzdata no longer has Almaty at UTC+6 in 2020"
    return world


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_a_failure_time_typed_by_the_secretary_is_the_sittings_wall_clock_and_comes_back_unchanged(
    client, zones, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = zones
    admitted(world)
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            reverse("proctoring:failure_act", args=[slot.pk]),
            {"occurred_at": "2020-05-12T10:30", "description": "Zoom серверi жауап бермедi", "language": "kk"},
        )
    act = slot.failure_acts.get()
    assert act.occurred_at == dt.datetime(2020, 5, 12, 4, 30, tzinfo=dt.UTC)  # 10:30 in Almaty
    page = _text(client.get(response["Location"]))
    assert "10:30" in page and "09:30" not in page and "04:30" not in page
    path = tmp_path / "act.pdf"
    path.write_bytes(act.document.file.read())
    pdf = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "12.05.2020 10:30" in pdf, pdf


def test_the_desk_offers_the_sittings_local_time_and_lists_incidents_in_it(client, zones):
    world = zones
    slot = slot_of(world, world.student)
    with time_machine.travel(DURING, tick=False):
        services.incident_record(slot=slot, kind=Incident.Kind.LEFT_VIEW, note="", actor=world.outsider)
        client.force_login(world.secretary)
        desk = client.get(reverse("exams:desk", args=[slot.pk]))
    assert 'value="2020-05-12T10:40"' in desk.content.decode()  # the failure-time field starts at "now", local
    text = _text(desk)
    assert "10:40:00" in text and "09:40:00" not in text and "04:40:00" not in text
    assert "09:00" in text  # the slot's start as scheduled in Almaty


def test_the_proctor_of_another_institution_sees_the_sittings_times(client, zones):
    world = zones
    client.force_login(world.outsider)
    console = _text(client.get(reverse("exams:console", args=[world.sitting.pk])))
    starts = sorted(f"{s.starts_at.astimezone(ALMATY):%H:%M}" for s in world.sitting.slots.all())
    assert starts[0] == "09:00" and all(start in console for start in starts)
    assert "08:00" not in console and "03:00" not in console


def test_the_proctor_form_and_list_name_each_student_by_the_local_start(client, zones):
    world = zones
    slot = slot_of(world, world.student)
    services.proctor_assign(sitting=world.sitting, user=world.head, slot=slot, actor=world.secretary)
    client.force_login(world.secretary)
    page = client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).content.decode()
    start = f"{slot.starts_at.astimezone(ALMATY):%H:%M}"
    assert f"{start} {world.student.full_name}" in " ".join(page.split())  # the option and the proctors' list
    assert f"{slot.starts_at.astimezone(dt.UTC):%H:%M} {world.student.full_name}" not in page

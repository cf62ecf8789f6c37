"""004 §16, §26: the chair announces the results in a scheduled call that the students rejoin. The secretary sets
the call's time and link; the student sees both in the cabinet; the announcement happens then, not before."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from commissions.grading import announcement, services
from commissions.models import Result, Sitting

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
CALL = dt.datetime(2020, 5, 12, 15, 0, tzinfo=ALMATY)  # the sitting runs 09:00-14:00 that day
CALL_URL = "https://meet.webex.com/results-12-05"


def _set(world, **changes):
    return announcement.announcement_call_set(
        actor=changes.pop("actor", world.secretary), sitting=world.sitting, at=changes.pop("at", CALL), url=CALL_URL
    )


def test_the_secretary_sets_the_call_and_the_student_sees_its_time_and_link(client, world):
    _set(world)
    sitting = Sitting.objects.get(pk=world.sitting.pk)
    assert (sitting.announcement_at, sitting.announcement_url) == (CALL, CALL_URL)
    assert AuditEvent.objects.filter(verb="announcement_call.set").exists()
    client.force_login(world.student.user)
    for url in (reverse("commissions:my_schedule"), reverse("commissions:slot", args=[world.sitting.slots.first().pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
        assert 'id="announcement-call' in page and "15:00" in page and CALL_URL in page


def test_the_call_is_on_the_sitting_day_after_it_starts(world):
    with pytest.raises(ValidationError):
        _set(world, at=dt.datetime(2020, 5, 12, 8, 0, tzinfo=ALMATY))
    with pytest.raises(ValidationError):
        _set(world, at=dt.datetime(2020, 5, 13, 10, 0, tzinfo=ALMATY))


def test_only_the_secretary_or_the_chair_sets_the_call(world):
    with pytest.raises(PermissionDenied):
        _set(world, actor=world.member)


def test_the_chair_announces_in_the_call_not_before(world, slot, present, time_machine):
    _set(world)
    services.grade_submit(actor=world.chair, slot=slot, points="96")
    services.grade_submit(actor=world.member, slot=slot, points="90")
    time_machine.move_to(CALL - dt.timedelta(minutes=20), tick=False)
    with pytest.raises(ValidationError, match="15:00"):
        services.results_announce(actor=world.chair, sitting=world.sitting)
    assert not Result.objects.filter(announced_at__isnull=False).exists()
    time_machine.move_to(CALL, tick=False)
    assert [r.slot_id for r in services.results_announce(actor=world.chair, sitting=world.sitting)] == [slot.pk]


def test_the_results_page_sets_the_call(client, world):
    client.force_login(world.secretary)
    url = reverse("commissions:announcement_call", args=[world.sitting.pk])
    response = client.post(url, {"at": "2020-05-12T15:00", "url": CALL_URL})
    assert response.status_code == 302
    assert Sitting.objects.get(pk=world.sitting.pk).announcement_at == CALL
    page = client.get(reverse("commissions:sitting_results", args=[world.sitting.pk])).content.decode()
    assert 'name="at"' in page and CALL_URL in page

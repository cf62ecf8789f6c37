"""Times in the institution's own time zone for everyone who works for it, the proctor included (issue 20)."""

import datetime as dt

import pytest
from django.utils import timezone

from attestation.institutions.middleware import SESSION_KEY, institution_time_zone
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory
from proctoring.models import ProctorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def aqtobe(world):
    world.institution.time_zone = "Asia/Aqtobe"
    world.institution.save()
    return world


def test_a_proctor_sees_and_enters_times_in_the_sittings_time_zone(client, aqtobe):
    proctor = UserFactory(username="proctor")
    ProctorAssignment.objects.create(
        sitting=aqtobe.sitting, user=proctor, assigned_by=aqtobe.secretary, assigned_at=timezone.now()
    )
    assert institution_time_zone(proctor) == "Asia/Aqtobe"
    client.force_login(proctor)
    assert client.session[SESSION_KEY] == "Asia/Aqtobe"
    client.get("/")
    assert timezone.get_current_timezone_name() == "Asia/Aqtobe"
    moment = timezone.make_aware(dt.datetime(2020, 5, 12, 9, 0))  # what a datetime-local field of the form gives
    assert moment.utcoffset() == dt.timedelta(hours=5)


def test_the_institutions_administrator_gets_its_time_zone(aqtobe):
    admin = UserFactory(username="tz-admin")
    InstitutionAdmin.objects.create(institution=aqtobe.institution, user=admin)
    assert institution_time_zone(admin) == "Asia/Aqtobe"


def test_a_session_without_the_zone_looks_it_up_once(client, aqtobe):
    client.force_login(aqtobe.head)
    session = client.session
    del session[SESSION_KEY]
    session.save()
    client.get("/")
    assert client.session[SESSION_KEY] == "Asia/Aqtobe"

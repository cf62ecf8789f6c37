"""Times in the institution's own time zone for everyone who works for it, the proctor included (issue 20)."""

import datetime as dt
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attestation.core.sessions import STAMP_KEY
from attestation.institutions import services
from attestation.institutions.middleware import SESSION_KEY, institution_time_zone
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory
from commissions.models import Slot
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


def to_aqtobe(world) -> None:
    """The administrator moves the institution to another time zone (the admin page saves it so)."""
    world.institution.time_zone = "Asia/Aqtobe"
    services.institution_update(actor=world.head, instance=world.institution)


def test_a_change_of_the_time_zone_reaches_a_signed_in_persons_next_request(client, world):
    client.force_login(world.head)
    client.get("/")
    assert timezone.get_current_timezone_name() == "Asia/Almaty"
    to_aqtobe(world)
    client.get("/")
    assert timezone.get_current_timezone_name() == "Asia/Aqtobe"
    assert client.session[SESSION_KEY] == "Asia/Aqtobe"


def test_a_students_cached_schedule_shows_the_new_zones_times_at_once(client, world):
    """The schedule is served from the cache before the person is read, under the zone the session says: the
    session reads its zone again, so the page is built again in the new zone (9:00 in Almaty is 8:00 in Aqtobe)."""
    client.force_login(world.student.user)
    url = reverse("commissions:my_schedule")
    slot = Slot.objects.filter(student=world.student).select_related("sitting").first()
    assert timezone.localtime(slot.starts_at, zoneinfo.ZoneInfo("Asia/Almaty")).hour == 9
    assert ">09:00<" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as served:
        assert ">09:00<" in client.get(url).content.decode()
    assert not served.captured_queries  # served from the cache, the person not read
    to_aqtobe(world)
    page = client.get(url).content.decode()
    assert ">08:00<" in page and ">09:00<" not in page
    with CaptureQueriesContext(connection) as served:
        assert ">08:00<" in client.get(url).content.decode()
    assert not served.captured_queries  # and served from the cache again, in the new zone


def test_saving_an_institution_without_changing_its_zone_leaves_the_sessions_zone(client, world):
    client.force_login(world.head)
    client.get("/")
    stamp = cache.get(STAMP_KEY)
    world.institution.name_en = "Renamed"
    services.institution_update(actor=world.head, instance=world.institution)
    assert cache.get(STAMP_KEY) == stamp  # no session reads its zone again


def test_a_session_that_kept_its_zone_before_it_was_a_copy_looks_it_up_once(client, aqtobe):
    client.force_login(aqtobe.head)
    session = client.session
    session[SESSION_KEY] = "Asia/Oral"  # kept by the portal before the copies stamp
    session["_copies"] = []
    session.save()
    client.get("/")
    assert client.session[SESSION_KEY] == "Asia/Aqtobe"


def test_an_emptied_cache_keeps_every_sessions_zone_without_a_look_up_or_a_write(client, world, monkeypatch):
    """A restart of Redis during an announcement: the first request reads the stamp again (one query), and the
    sessions, whose zones are still true, neither look them up nor are written again."""
    client.force_login(world.head)
    client.get("/")
    cache.clear()

    def looked_up(user):
        raise AssertionError("the session's zone was looked up again")

    monkeypatch.setattr("attestation.institutions.middleware.institution_time_zone", looked_up)
    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    writes = [q["sql"] for q in cold.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert not [sql for sql in writes if "django_session" in sql]
    assert timezone.get_current_timezone_name() == "Asia/Almaty"


def test_a_zone_changed_while_the_stamp_was_lost_still_reaches_the_session(client, world):
    client.force_login(world.head)
    client.get("/")
    cache.clear()
    type(world.institution).objects.filter(pk=world.institution.pk).update(time_zone="Asia/Aqtobe")  # no signal
    client.get("/")
    assert timezone.get_current_timezone_name() == "Asia/Aqtobe"


@pytest.mark.django_db(transaction=True)
def test_a_zone_saved_outside_any_transaction_is_stamped_with_the_new_zone(client, world):
    """A plain save (a shell, a script) in autocommit: the stamp's digest is read at once — after the row is written,
    so it is the new zone's, and the signed-in sessions read their zone again."""
    client.force_login(world.head)
    client.get("/")
    world.institution.time_zone = "Asia/Aqtobe"
    world.institution.save()
    client.get("/")
    assert timezone.get_current_timezone_name() == "Asia/Aqtobe"

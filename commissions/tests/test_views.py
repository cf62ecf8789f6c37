import pytest
from django.urls import reverse

from commissions.models import Slot

pytestmark = pytest.mark.django_db


def own_slot(world, student):
    return Slot.objects.get(sitting=world.sitting, student=student)


def test_student_sees_own_schedule_with_link(client, world):
    client.force_login(world.student.user)
    response = client.get(reverse("commissions:my_schedule"))
    assert response.status_code == 200
    assert [s.student_id for s in response.context["slots"]] == [world.student.pk]
    assert b"https://zoom.us/j/1" in response.content


def test_student_changing_the_slot_id_gets_404(client, world):
    client.force_login(world.student.user)
    assert client.get(reverse("commissions:slot", args=[own_slot(world, world.student).pk])).status_code == 200
    assert client.get(reverse("commissions:slot", args=[own_slot(world, world.other_student).pk])).status_code == 404


def test_student_cannot_open_the_commission(client, world):
    client.force_login(world.student.user)
    assert client.get(reverse("commissions:commission", args=[world.commission.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["chair", "member", "secretary", "head"])
def test_commission_people_and_the_department_head_open_the_commission(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("commissions:commission", args=[world.commission.pk]))
    assert response.status_code == 200
    assert world.student.full_name in response.content.decode()


def test_non_member_cannot_open_the_commission_or_its_pdf(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("commissions:commission", args=[world.commission.pk])).status_code == 404
    assert client.get(reverse("commissions:composition_pdf", args=[world.commission.pk])).status_code == 404
    assert client.get(reverse("commissions:slot", args=[own_slot(world, world.student).pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("commissions:my_schedule"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_ical_holds_only_the_students_own_slots(client, world):
    client.force_login(world.student.user)
    response = client.get(reverse("commissions:my_schedule_ics"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"slot-{own_slot(world, world.student).pk}@" in body
    assert "20200512T090000" in body


def test_department_page_is_for_its_head_only(client, world):
    url = reverse("institutions:department", args=[world.department.pk])
    client.force_login(world.head)
    assert client.get(url).status_code == 200
    client.force_login(world.chair)
    assert client.get(url).status_code == 404


def test_home_page_shows_each_role_its_links(client, world):
    client.force_login(world.secretary)
    assert reverse("commissions:commission", args=[world.commission.pk]) in client.get("/").content.decode()
    client.force_login(world.student.user)
    assert reverse("commissions:my_schedule") in client.get("/").content.decode()


def test_every_page_has_the_language_switcher_and_kazakh_letters(client, world):
    client.force_login(world.student.user)
    content = client.get(reverse("commissions:my_schedule"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert 'name="language" value="ru"' in content
    assert "Менің кестем" in content

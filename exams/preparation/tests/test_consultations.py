"""Colleges (001): the department puts the online consultations and the pre-defense of the diploma project on the
schedule; the students see them in their cabinet and calendar file, beside the instruction webinar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.tests.factories import World
from commissions.models import Commission
from exams.preparation import services
from exams.preparation.models import Webinar

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def college(db):
    return World.build(kind="tvet")  # attestation from Tue 12 May 2020


def test_a_consultation_is_scheduled_outside_the_webinar_window_and_the_student_sees_it(client, college):
    consultation = services.webinar_create(
        actor=college.head,
        commission=college.commission,
        audience="students",
        kind=Webinar.Kind.CONSULTATION,
        topic="Дерекқорлар бойынша кеңес",
        starts_at=dt.datetime(2020, 5, 11, 10, tzinfo=ALMATY),  # 1 working day before: no webinar window for it
        url="https://zoom.us/j/81",
    )
    assert consultation.kind == Webinar.Kind.CONSULTATION
    client.force_login(college.student.user)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Дерекқорлар бойынша кеңес" in home and "https://zoom.us/j/81" in home
    assert "онлайн-консультация" in home.lower()  # its kind, in the page's language
    ics = client.get(reverse("commissions:my_schedule_ics")).content.decode()
    assert f"webinar-{consultation.pk}@" in ics and "Дерекқорлар" in ics


def test_a_pre_defense_is_only_for_a_defense_commission(college):
    with pytest.raises(ValidationError) as exc:
        services.webinar_create(
            actor=college.head,
            commission=college.commission,  # a complex exam
            audience="students",
            kind=Webinar.Kind.PRE_DEFENSE,
            starts_at=dt.datetime(2020, 5, 6, 10, tzinfo=ALMATY),
            url="https://zoom.us/j/82",
        )
    assert "kind" in exc.value.message_dict
    Commission.objects.filter(pk=college.commission.pk).update(form=Commission.Form.DEFENSE)
    college.commission.refresh_from_db()
    pre = services.webinar_create(
        actor=college.head,
        commission=college.commission,
        audience="students",
        kind=Webinar.Kind.PRE_DEFENSE,
        starts_at=dt.datetime(2020, 5, 6, 10, tzinfo=ALMATY),
        url="https://zoom.us/j/82",
    )
    assert pre.get_kind_display()


def test_the_department_schedules_a_consultation_from_the_commission_panel(client, college):
    client.force_login(college.head)
    response = client.post(
        reverse("preparation:webinar_create", args=[college.commission.pk]),
        {
            "kind": "consultation",
            "topic": "Кешенді емтихан сұрақтары",
            "audience": "students",
            "starts_at": "2020-05-08T11:00",
            "duration_minutes": 45,
            "url": "https://zoom.us/j/83",
        },
    )
    assert response.status_code == 302
    row = Webinar.objects.get()
    assert (row.kind, row.topic, row.duration_minutes) == ("consultation", "Кешенді емтихан сұрақтары", 45)

"""The department head and the institution's administrator form commissions in the portal (R10): the order, the
period, the programmes and the people; the secretary runs them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import AttestationPeriod, Department, DepartmentHead, Programme, Staff
from attestation.tests.factories import UserFactory, World
from commissions.attendance import attendance_record
from commissions.models import Commission, Membership

pytestmark = pytest.mark.django_db


def _staff(world, *names) -> list:
    people = []
    for name in names:
        user = UserFactory(username=name, last_name=name.capitalize())
        Staff.objects.create(user=user, institution=world.institution, position="доцент")
        people.append(user)
    return people


def _period(world, start=dt.date(2020, 6, 1), end=dt.date(2020, 6, 30)) -> AttestationPeriod:
    return AttestationPeriod.objects.create(
        institution=world.institution, academic_year=2019, name_kk="Жазғы", name_ru="Летняя", starts_on=start, ends_on=end
    )


def _data(world, period, chair, secretary, members, **extra) -> dict:
    return {
        "kind": "final",
        "form": "state_exam",
        "period": period.pk,
        "programmes": [world.programme.pk],
        "name_kk": "МАК 6B06101",
        "name_ru": "ГАК 6B06101",
        "order_number": "77-Б",
        "order_date": "2020-04-01",
        "chair": chair.pk,
        "secretary": secretary.pk,
        "members": [m.pk for m in members],
        **extra,
    }


def test_head_forms_a_commission_with_its_people_and_the_periods_dates(client, world):
    chair, secretary, m1, m2 = _staff(world, "amanov", "berikova", "sadykov", "tulegenova")
    period = _period(world)
    client.force_login(world.head)
    response = client.post(
        reverse("commissions:commission_new", args=[world.institution.pk]),
        _data(world, period, chair, secretary, [m1, m2]),
    )
    assert response.status_code == 302
    commission = Commission.objects.get(order_number="77-Б")
    assert (commission.period_start, commission.period_end, commission.period) == (period.starts_on, period.ends_on, period)
    roles = dict(commission.memberships.values_list("user__username", "role"))
    assert roles == {"amanov": "chair", "berikova": "secretary", "sadykov": "member", "tulegenova": "member"}
    assert list(commission.programmes.all()) == [world.programme]
    assert AuditEvent.objects.filter(verb="commission.create", actor=world.head).exists()
    assert AuditEvent.objects.filter(verb="membership.add").count() >= 4


def test_college_order_too_late_is_refused_naming_the_dates(client, db):
    world = World.build(kind="tvet")
    chair, secretary, m1 = _staff(world, "amanov", "berikova", "sadykov")
    period = _period(world, start=dt.date(2020, 6, 1))
    client.force_login(world.head)
    response = client.post(
        reverse("commissions:commission_new", args=[world.institution.pk]),
        _data(world, period, chair, secretary, [m1], order_date="2020-05-20"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "20.05.2020" in text and "01.05.2020" in text and "01.06.2020" in text
    assert not Commission.objects.filter(order_number="77-Б").exists()
    assert not Membership.objects.filter(user=chair).exists()


def test_a_person_cannot_be_chair_and_secretary_at_once(client, world):
    chair, m1 = _staff(world, "amanov", "sadykov")
    client.force_login(world.head)
    response = client.post(
        reverse("commissions:commission_new", args=[world.institution.pk]),
        _data(world, _period(world), chair, chair, [m1]),
    )
    assert response.status_code == 400
    assert "Amanov" in response.content.decode()
    assert not Commission.objects.filter(order_number="77-Б").exists()


def test_editing_swaps_the_chair_and_a_member_keeping_one_chair(client, world):
    client.force_login(world.head)
    period = _period(world)
    data = _data(world, period, world.member, world.secretary, [world.chair], order_number="12-Б")
    response = client.post(reverse("commissions:commission_edit", args=[world.commission.pk]), data)
    assert response.status_code == 302
    roles = dict(world.commission.memberships.values_list("user__username", "role"))
    assert roles == {"member": "chair", "chair": "member", "secretary": "secretary"}
    world.commission.refresh_from_db()
    assert world.commission.period == period
    assert AuditEvent.objects.filter(verb="commission.update", actor=world.head).exists()


def test_a_member_recorded_at_a_sitting_cannot_be_taken_off(client, world):
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )
    (newcomer,) = _staff(world, "sadykov")
    client.force_login(world.head)
    data = _data(world, _period(world), world.chair, world.secretary, [newcomer])
    response = client.post(reverse("commissions:commission_edit", args=[world.commission.pk]), data)
    assert response.status_code == 400
    assert world.member.display_name in response.content.decode()
    assert world.commission.memberships.filter(user=world.member).exists()
    assert not world.commission.memberships.filter(user=newcomer).exists()


def test_head_of_another_department_cannot_edit_and_is_offered_only_own_programmes(client, world):
    other = Department.objects.create(institution=world.institution, name_kk="Басқа", name_ru="Другая")
    own = Programme.objects.create(department=other, code="6B01501", level="bachelor", name_kk="М", name_ru="М")
    other_head = UserFactory(username="other-head")
    DepartmentHead.objects.create(department=other, user=other_head)
    client.force_login(other_head)
    assert client.get(reverse("commissions:commission_edit", args=[world.commission.pk])).status_code == 404
    page = client.get(reverse("commissions:commission_new", args=[world.institution.pk])).content.decode()
    assert own.code in page and world.programme.code not in page
    response = client.post(
        reverse("commissions:commission_new", args=[world.institution.pk]),
        _data(world, _period(world), world.chair, world.secretary, [world.member]),
    )
    assert response.status_code == 400 and not Commission.objects.filter(order_number="77-Б").exists()


def test_outsider_student_and_secretary_cannot_form_commissions(client, world):
    for user in (world.outsider, world.student.user, world.secretary):
        client.force_login(user)
        assert client.get(reverse("commissions:commission_list", args=[world.institution.pk])).status_code == 404
        assert client.get(reverse("commissions:commission_new", args=[world.institution.pk])).status_code == 404
        assert client.get(reverse("commissions:commission_edit", args=[world.commission.pk])).status_code == 404


def test_commission_list_query_count_does_not_grow(client, world):
    client.force_login(world.head)
    url = reverse("commissions:commission_list", args=[world.institution.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(3):
        c = Commission.objects.create(
            institution=world.institution,
            academic_year=2019,
            form="defense",
            name_kk=f"К{i}",
            name_ru=f"К{i}",
            order_number=str(i),
            order_date=dt.date(2020, 4, 1),
            period_start=dt.date(2020, 6, 1),
            period_end=dt.date(2020, 6, 30),
            quorum_numerator=2,
            quorum_denominator=3,
            honours_min_gpa="3.5",
            honours_min_discipline_gpa="2.33",
            honours_min_attestation_gpa="3.67",
        )
        c.programmes.set([world.programme])
        Membership.objects.create(commission=c, user=world.chair, role="chair")
    assert count() == few

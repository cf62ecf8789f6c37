"""The administrator appoints the appeal commission in the portal; each R8 refusal names the person and the reason."""

import pytest
from django.urls import reverse

from appeals.models import AppealCommission
from attestation.institutions.models import InstitutionAdmin, Staff
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    return client


def _staff(world, name, administrative=False):
    user = UserFactory(username=name, last_name=name.capitalize())
    Staff.objects.create(user=user, institution=world.institution, position="профессор", is_administrative=administrative)
    return user


def _data(world, chair, members) -> dict:
    return {
        "name_kk": "Апелляциялық комиссия",
        "name_ru": "Апелляционная комиссия",
        "academic_year": 2019,
        "order_number": "50-А",
        "order_date": "2020-04-20",
        "commissions": [world.commission.pk],
        "chair": chair.pk,
        "members": [m.pk for m in members],
    }


def test_admin_appoints_a_lawful_appeal_commission(admin_client, world):
    a, b, c = (_staff(world, n) for n in ("amanov", "berikova", "sadykov"))
    url = reverse("appeals:commissions", args=[world.institution.pk])
    assert admin_client.post(url, _data(world, a, [b, c])).status_code == 302
    appeal_commission = AppealCommission.objects.get(order_number="50-А")
    assert dict(appeal_commission.members.values_list("user__username", "role")) == {
        "amanov": "chair",
        "berikova": "member",
        "sadykov": "member",
    }


def test_each_r8_refusal_names_the_person_and_the_reason(admin_client, world):
    a = _staff(world, "amanov")
    dean = _staff(world, "dekanov", administrative=True)
    Staff.objects.create(user=world.member, institution=world.institution, position="доцент")
    url = reverse("appeals:commissions", args=[world.institution.pk])
    response = admin_client.post(url, _data(world, a, [dean, world.member, _staff(world, "extra")]))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Dekanov" in text and world.member.display_name in text
    assert "4" in text  # an even number of members
    assert not AppealCommission.objects.filter(order_number="50-А").exists()


def test_only_the_administrator_appoints(client, world):
    for user in (world.head, world.chair, world.outsider, world.student.user):
        client.force_login(user)
        assert client.get(reverse("appeals:commissions", args=[world.institution.pk])).status_code == 404

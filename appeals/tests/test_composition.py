import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from appeals import services
from appeals.models import AppealMember
from attestation.institutions.models import Staff
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def create(world, members):
    return services.appeal_commission_create(
        actor=world.head,
        institution=world.institution,
        academic_year=2019,
        name_kk="А",
        name_ru="А",
        order_number="1",
        order_date=dt.date(2020, 4, 1),
        commissions=[world.commission],
        members=members,
    )


def test_a_lawful_odd_composition_is_appointed(world, appeal_people):
    roles = [AppealMember.Role.CHAIR, AppealMember.Role.MEMBER, AppealMember.Role.MEMBER]
    appeal_commission = create(world, list(zip(appeal_people, roles, strict=True)))
    assert appeal_commission.members.count() == 3


def test_an_even_number_of_members_is_refused(world, appeal_people):
    with pytest.raises(ValidationError) as exc:
        create(world, [(appeal_people[0], "chair"), (appeal_people[1], "member")])
    assert "odd" in str(exc.value.messages) or "тақ" in str(exc.value.messages) or "нечет" in str(exc.value.messages)


def test_a_member_of_the_attestation_commission_is_refused_by_name(world, appeal_people):
    with pytest.raises(ValidationError) as exc:
        create(world, [(appeal_people[0], "chair"), (appeal_people[1], "member"), (world.member, "member")])
    assert any(str(world.member) in m and str(world.commission) in m for m in exc.value.messages)


def test_administrative_staff_is_refused_by_name(world, appeal_people):
    clerk = UserFactory(username="clerk", last_name="Сыздықова")
    Staff.objects.create(user=clerk, institution=world.institution, position="registrar", is_administrative=True)
    with pytest.raises(ValidationError) as exc:
        create(world, [(appeal_people[0], "chair"), (appeal_people[1], "member"), (clerk, "member")])
    assert any(str(clerk) in m for m in exc.value.messages)
    assert not world.institution.appeal_commissions.exists()


def test_exactly_one_chair(world, appeal_people):
    with pytest.raises(ValidationError):
        create(world, [(u, "member") for u in appeal_people])

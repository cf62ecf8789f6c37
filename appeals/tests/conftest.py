import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from appeals import services
from appeals.models import AppealMember
from attestation.institutions import services as institution_services
from attestation.institutions.models import Institution, InstitutionAdmin
from attestation.tests.factories import UserFactory
from commissions.models import Result, Slot

ALMATY = ZoneInfo("Asia/Almaty")
ANNOUNCED = dt.datetime(2020, 5, 6, 15, 0, tzinfo=ALMATY)  # Wed 6 May 2020, before the May holidays


@pytest.fixture
def appeal_people(db):
    return [UserFactory(username=f"appeal{i}") for i in range(3)]


@pytest.fixture
def appeal_commission(world, appeal_people):
    members = [
        (appeal_people[0], AppealMember.Role.CHAIR),
        (appeal_people[1], AppealMember.Role.MEMBER),
        (appeal_people[2], AppealMember.Role.MEMBER),
    ]
    return services.appeal_commission_create(
        actor=world.head,
        institution=world.institution,
        academic_year=2019,
        name_kk="Апелляциялық комиссия",
        name_ru="Апелляционная комиссия",
        order_number="45-А",
        order_date=dt.date(2020, 4, 20),
        commissions=[world.commission],
        members=members,
    )


def make_result(slot: Slot, letter="C", points="67", announced=ANNOUNCED) -> Result:
    return Result.objects.create(
        slot=slot,
        points=points,
        letter=letter,
        gpa="2.00",
        traditional="satisfactory",
        source=Result.Source.COMMISSION,
        decided_at=announced or ANNOUNCED,
        announced_at=announced,
    )


@pytest.fixture
def result(world, appeal_commission):
    return make_result(Slot.objects.get(sitting=world.sitting, student=world.student))


@pytest.fixture
def inst_admin(world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    return admin


@pytest.fixture
def other_institution(db):
    """A second institution: what is its own (days off, policy, name) concerns no student of the world's."""
    return institution_services.institution_create(
        actor=UserFactory(username="other-admin"),
        kind=Institution.Kind.HEI,
        short_name="OTHER",
        name_kk="Басқа университет",
        name_ru="Другой университет",
        academic_year=2019,
    )

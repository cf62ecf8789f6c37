"""A new commission takes the quorum and the honours thresholds of its year's policy; later policy changes leave it
as it is."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from attestation.core.models import AuditEvent
from attestation.institutions.models import Policy
from attestation.institutions.services import policy_update
from attestation.tests.factories import UserFactory
from commissions import attendance, services
from commissions.models import Commission, Membership

pytestmark = pytest.mark.django_db


def _policy(world) -> Policy:
    return Policy.objects.get(institution=world.institution, academic_year=2019)


def _create(world, order_number="20-Б") -> Commission:
    return services.commission_create(
        actor=world.head,
        institution=world.institution,
        programmes=[world.programme],
        academic_year=2019,
        form="defense",
        name_kk="Қорғау",
        name_ru="Защита",
        order_number=order_number,
        order_date=dt.date(2020, 4, 1),
        period_start=dt.date(2020, 5, 12),
        period_end=dt.date(2020, 6, 30),
    )


def _four_voters_and_a_secretary(world, commission: Commission) -> list[Membership]:
    roles = ["chair", "member", "member", "member", "secretary"]
    return [
        services.membership_add(actor=world.head, commission=commission, user=UserFactory(username=f"q{k}"), role=role)
        for k, role in enumerate(roles)
    ]


@pytest.mark.parametrize(("numerator", "denominator", "needed"), [(3, 4, 3), (1, 2, 2), (1, 1, 4)])
def test_a_new_commission_needs_the_share_of_its_policys_quorum(world, numerator, denominator, needed):
    policy_update(
        actor=world.head, policy=_policy(world), changes={"quorum_numerator": numerator, "quorum_denominator": denominator}
    )
    commission = _create(world)
    members = _four_voters_and_a_secretary(world, commission)
    sitting = services.sitting_create(
        actor=world.head, commission=commission, date=dt.date(2020, 5, 13), starts_at=dt.time(9), ends_at=dt.time(12)
    )
    secretary = members[-1].user
    attendance.attendance_record(actor=secretary, sitting=sitting, present_ids=[m.pk for m in members[: needed - 1]])
    quorum = attendance.sitting_quorum(sitting=sitting)
    assert (quorum.voting, quorum.needed, quorum.met) == (4, needed, False)
    attendance.attendance_record(actor=secretary, sitting=sitting, present_ids=[m.pk for m in members[:needed]])
    assert attendance.sitting_quorum(sitting=sitting).met


def test_a_new_commission_copies_the_policys_honours_thresholds(world):
    policy_update(
        actor=world.head,
        policy=_policy(world),
        changes={
            "honours_min_gpa": Decimal("3.70"),
            "honours_min_discipline_gpa": Decimal("3.00"),
            "honours_min_attestation_gpa": Decimal("4.00"),
        },
    )
    commission = _create(world)
    assert (commission.honours_min_gpa, commission.honours_min_discipline_gpa, commission.honours_min_attestation_gpa) == (
        Decimal("3.70"),
        Decimal("3.00"),
        Decimal("4.00"),
    )
    event = AuditEvent.objects.filter(verb="commission.create", object_id=str(commission.pk)).get()
    assert (event.after["honours_min_gpa"], event.after["quorum_numerator"]) == ("3.70", "2")


def test_changing_the_policy_leaves_an_existing_commission_as_it_is(world):
    policy_update(actor=world.head, policy=_policy(world), changes={"quorum_numerator": 3, "quorum_denominator": 4})
    existing = _create(world)
    policy_update(
        actor=world.head,
        policy=_policy(world),
        changes={"quorum_numerator": 1, "quorum_denominator": 2, "honours_min_gpa": Decimal("3.90")},
    )
    existing.refresh_from_db()
    assert (existing.quorum_numerator, existing.quorum_denominator, existing.honours_min_gpa) == (3, 4, Decimal("3.50"))
    newer = _create(world, order_number="21-Б")
    assert (newer.quorum_numerator, newer.quorum_denominator, newer.honours_min_gpa) == (1, 2, Decimal("3.90"))


def test_values_given_at_creation_win_over_the_policys(world):
    commission = services.commission_create(
        actor=world.head,
        institution=world.institution,
        programmes=[world.programme],
        academic_year=2019,
        form="defense",
        name_kk="Қорғау",
        name_ru="Защита",
        order_number="22-Б",
        order_date=dt.date(2020, 4, 1),
        period_start=dt.date(2020, 5, 12),
        period_end=dt.date(2020, 6, 30),
        quorum_numerator=4,
        quorum_denominator=5,
    )
    assert (commission.quorum_numerator, commission.quorum_denominator) == (4, 5)


def test_the_chair_cannot_make_the_honours_looser_than_order_595(world):
    with pytest.raises(ValidationError) as exc:
        services.commission_settings_update(actor=world.chair, commission=world.commission, honours_min_gpa=Decimal("3.00"))
    assert "honours_min_gpa" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Commission.objects.filter(pk=world.commission.pk).update(honours_min_attestation_gpa=Decimal("3.00"))
    assert Commission.objects.get(pk=world.commission.pk).honours_min_gpa == Decimal("3.50")

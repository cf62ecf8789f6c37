"""The commission's own degree-vote mode (from the policy at creation, then the chair's or head's), quorum and
honours thresholds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from commissions import services
from commissions.grading import votes
from commissions.models import Commission, VoteRound
from commissions.tests.conftest import set_policy

pytestmark = pytest.mark.django_db


def _create(world, order_number="13-Б"):
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


def test_a_new_commission_takes_the_policys_vote_mode(world):
    set_policy(world, degree_vote_mode="open")
    assert _create(world).vote_mode == VoteRound.Mode.OPEN
    set_policy(world, degree_vote_mode="secret")
    assert _create(world, order_number="14-Б").vote_mode == VoteRound.Mode.SECRET


def test_the_vote_opens_in_the_commissions_mode_not_the_policys(world, slot, present):
    set_policy(world, degree_vote_mode="secret")
    services.commission_settings_update(actor=world.chair, commission=world.commission, vote_mode="open")
    vote_round = votes.vote_open(actor=world.secretary, slot=slot)
    assert vote_round.mode == VoteRound.Mode.OPEN
    assert AuditEvent.objects.filter(
        verb="commission.settings", before__vote_mode="secret", after__vote_mode="open"
    ).exists()


def test_a_quorum_above_one_is_refused(world):
    with pytest.raises(ValidationError):
        services.commission_settings_update(
            actor=world.chair, commission=world.commission, quorum_numerator=4, quorum_denominator=3
        )
    assert Commission.objects.get(pk=world.commission.pk).quorum_numerator == 2


@pytest.mark.parametrize(
    ("persona", "status", "changed"),
    [("chair", 302, True), ("head", 302, True), ("member", 403, False), ("secretary", 403, False), ("outsider", 404, False)],
)
def test_only_the_chair_or_the_head_changes_the_settings(client, world, persona, status, changed):
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("commissions:commission_settings", args=[world.commission.pk]),
        {
            "vote_mode": "open",
            "quorum_numerator": "3",
            "quorum_denominator": "4",
            "honours_min_gpa": "3.50",
            "honours_min_discipline_gpa": "2.33",
            "honours_min_attestation_gpa": "3.67",
        },
    )
    assert response.status_code == status
    commission = Commission.objects.get(pk=world.commission.pk)
    assert (commission.vote_mode == "open" and commission.quorum_numerator == 3) is changed


def test_the_commission_page_shows_the_form_to_the_chair_and_the_values_to_members(client, world):
    url = reverse("commissions:commission", args=[world.commission.pk])
    client.force_login(world.chair)
    assert 'name="vote_mode"' in client.get(url).content.decode()
    client.force_login(world.member)
    page = client.get(url).content.decode()
    assert 'name="vote_mode"' not in page and "2/3" in page

"""/admin/ cannot place a student or change a commission behind the services' checks (R10, R11, R16): it only shows."""

import pytest
from django.urls import reverse

from attestation.tests.factories import UserFactory
from commissions.models import Membership, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_admin_cannot_add_a_slot(superuser_client, world):
    assert superuser_client.get(reverse("admin:commissions_slot_add")).status_code == 403
    data = {"sitting": world.sitting.pk, "student": world.student.pk, "starts_at_0": "2020-05-12", "starts_at_1": "13:00"}
    superuser_client.post(reverse("admin:commissions_slot_add"), {**data, "duration_minutes": 15, "status": "scheduled"})
    assert Slot.objects.count() == 2


def test_admin_shows_a_slot_but_does_not_save_it(superuser_client, world):
    slot = Slot.objects.filter(student=world.student).get()
    url = reverse("admin:commissions_slot_change", args=[slot.pk])
    assert superuser_client.get(url).status_code == 200
    superuser_client.post(url, {"sitting": slot.sitting_id, "student": world.other_student.pk, "duration_minutes": 99})
    slot.refresh_from_db()
    assert (slot.student_id, slot.duration_minutes) == (world.student.pk, 15)
    assert (
        superuser_client.post(reverse("admin:commissions_slot_delete", args=[slot.pk]), {"post": "yes"}).status_code == 403
    )


def test_admin_cannot_add_a_commission_member(superuser_client, world):
    assert superuser_client.get(reverse("admin:commissions_membership_add")).status_code == 403
    assert superuser_client.get(reverse("admin:commissions_commission_add")).status_code == 403
    assert Membership.objects.filter(commission=world.commission).count() == 3

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from attestation.accounts.models import Invitation
from attestation.accounts.services import invitation_send
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Қазақстан-2026-pass"


@pytest.fixture
def outside_chair(world):
    world.chair.set_unusable_password()
    world.chair.save()
    return world.chair


def token_from(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_head_invites_a_member_who_sets_a_password_and_lands_on_the_commission(
    client, world, outside_chair, django_capture_on_commit_callbacks
):
    client.force_login(world.head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invite_member", args=[world.commission.pk, outside_chair.pk]))
    assert response.status_code == 302
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/invitation/" in line).strip()
    client.logout()
    url = reverse("accept_invitation", args=[token_from(link)])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("commissions:commission", args=[world.commission.pk])
    outside_chair.refresh_from_db()
    assert outside_chair.check_password(NEW_PASSWORD)


def test_the_link_works_once(client, world, outside_chair):
    token = token_from(invitation_send(actor=world.head, user=outside_chair))
    url = reverse("accept_invitation", args=[token])
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    used = client.get(url)
    assert used.status_code == 410 and used.context["invitation"].used_at is not None  # says it was used, and when
    response = client.post(url, {"password1": "Другой-пароль-2026", "password2": "Другой-пароль-2026"})
    assert response.status_code == 410
    outside_chair.refresh_from_db()
    assert outside_chair.check_password(NEW_PASSWORD)


def test_the_link_expires(client, world, outside_chair, settings):
    token = token_from(invitation_send(actor=world.head, user=outside_chair))
    later = Invitation.objects.get().expires_at + dt.timedelta(seconds=1)
    with time_machine.travel(later):
        expired = client.get(reverse("accept_invitation", args=[token]))
    assert expired.status_code == 410 and expired.context["invitation"].used_at is None  # says it expired, and when


def test_only_the_token_hash_is_stored(world, outside_chair):
    token = token_from(invitation_send(actor=world.head, user=outside_chair))
    assert token not in Invitation.objects.get().token_hash


def test_a_new_invitation_voids_the_old_one(client, world, outside_chair):
    old = token_from(invitation_send(actor=world.head, user=outside_chair))
    invitation_send(actor=world.head, user=outside_chair)
    assert client.get(reverse("accept_invitation", args=[old])).status_code == 410


def test_a_weak_password_is_refused(client, world, outside_chair):
    token = token_from(invitation_send(actor=world.head, user=outside_chair))
    response = client.post(reverse("accept_invitation", args=[token]), {"password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("persona", ["member", "secretary", "outsider"])
def test_only_the_head_or_administrator_invites(client, world, outside_chair, persona):
    client.force_login(getattr(world, persona))
    assert client.post(reverse("invite_member", args=[world.commission.pk, outside_chair.pk])).status_code == 404


def test_cannot_invite_someone_who_is_not_on_the_commission(client, world):
    stranger = UserFactory(username="stranger")
    client.force_login(world.head)
    assert client.post(reverse("invite_member", args=[world.commission.pk, stranger.pk])).status_code == 404

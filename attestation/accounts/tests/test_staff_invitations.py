import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from attestation.accounts.models import StaffInvitation, User
from attestation.core.models import AuditEvent
from attestation.institutions.models import DepartmentHead, InstitutionAdmin, Policy, Registrar, Staff
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Kezek-2026-strong"


@pytest.fixture
def admin(world):
    user = UserFactory(username="staff-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=user)
    return user


def invite(client, world, django_capture_on_commit_callbacks, **changes):
    data = {
        "last_name": "Омарова",
        "first_name": "Жанар",
        "email": "zhanar@example.kz",
        "position": "аға оқытушы",
        "department": world.department.pk,
        "roles": ["chair", "secretary"],
        "language": "kk",
        **changes,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff", args=[world.institution.pk]), data)
    return response


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/staff-invitation/\S+/", message.body).group(0)


def test_the_administrator_invites_and_the_link_sets_a_password_and_gives_the_roles(
    client, world, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    response = invite(client, world, django_capture_on_commit_callbacks, roles=["head", "chair", "registrar"])
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["zhanar@example.kz"]
    link = link_in(mail.outbox[-1])
    client.logout()
    page = client.get(link)
    assert "Омарова" in page.content.decode()
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="zhanar@example.kz")
    assert user.check_password(PASSWORD)
    staff = Staff.objects.get(user=user, institution=world.institution)
    assert staff.roles == ["chair", "head", "registrar"] and staff.department == world.department
    assert DepartmentHead.objects.filter(user=user, department=world.department).exists()
    assert Registrar.objects.filter(user=user, institution=world.institution).exists()
    assert AuditEvent.objects.filter(verb="staff.invite_accept").exists()
    assert client.get(reverse("home")).status_code == 200  # signed in


def test_a_used_link_says_it_was_used(client, world, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    invite(client, world, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[-1])
    client.logout()
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    page = client.get(link)
    assert page.status_code == 410
    assert page.context["state"] == "used"


def test_an_expired_link_says_so_after_the_policys_days(client, world, admin, django_capture_on_commit_callbacks):
    Policy.objects.filter(institution=world.institution).update(staff_invitation_days=2)
    client.force_login(admin)
    with time_machine.travel(dt.datetime(2020, 5, 4, 9, tzinfo=dt.UTC), tick=False):
        invite(client, world, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[-1])
    client.logout()
    with time_machine.travel(dt.datetime(2020, 5, 6, 8, tzinfo=dt.UTC), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(dt.datetime(2020, 5, 6, 10, tzinfo=dt.UTC), tick=False):
        page = client.get(link)
        assert (page.status_code, page.context["state"]) == (410, "expired")
        client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert not User.objects.filter(email="zhanar@example.kz").exists()


def test_sending_again_kills_the_old_link_and_revoking_says_withdrawn(
    client, world, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    invite(client, world, django_capture_on_commit_callbacks)
    old = link_in(mail.outbox[-1])
    invitation = StaffInvitation.objects.get(email="zhanar@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff_invitation_resend", args=[invitation.pk]))
    new = link_in(mail.outbox[-1])
    assert new != old
    assert client.get(old).status_code == 410
    client.post(reverse("staff_invitation_revoke", args=[invitation.pk]))
    page = client.get(new)
    assert (page.status_code, page.context["state"]) == (410, "revoked")


def test_a_head_invites_only_to_their_department_and_gives_only_commission_roles(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.head)
    refused = invite(client, world, django_capture_on_commit_callbacks, roles=["registrar"])
    assert refused.status_code == 400
    assert not StaffInvitation.objects.exists()
    assert invite(client, world, django_capture_on_commit_callbacks, roles=["member"]).status_code == 302
    assert StaffInvitation.objects.get().department == world.department


def test_an_existing_account_must_sign_in_to_take_the_roles(client, world, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    invite(client, world, django_capture_on_commit_callbacks, email=world.member.email, roles=["appeal"])
    link = link_in(mail.outbox[-1])
    client.logout()
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400 and "login" in response.context["login_url"]
    assert not world.member.check_password(PASSWORD)
    client.force_login(world.member)
    assert client.post(link, {"accept": "1"}).status_code == 302
    assert "appeal" in Staff.objects.get(user=world.member, institution=world.institution).roles


def test_strangers_cannot_open_the_staff_page_or_touch_an_invitation(
    client, world, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    invite(client, world, django_capture_on_commit_callbacks)
    invitation = StaffInvitation.objects.get()
    for user in (world.outsider, world.student.user, world.member):
        client.force_login(user)
        assert client.get(reverse("staff", args=[world.institution.pk])).status_code == 404
        assert client.post(reverse("staff_invitation_revoke", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None

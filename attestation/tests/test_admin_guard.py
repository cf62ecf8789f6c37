"""/admin/ never saves what the portal refuses (attestation/core/admin_guard.py): every registered ModelAdmin's add
and change forms are posted a payload that breaks the model's rule and must refuse it — read-only models with 403,
the others with the form's errors — and nothing is written. The appeal commission goes through its service."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from appeals.models import AppealCommission, AppealMember
from attestation.core.models import AuditEvent
from attestation.institutions.models import Staff
from attestation.tests import matrix_objects
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OURS = ("attestation.", "commissions.", "exams.", "appeals.", "proctoring.", "api.", "portal.")


@pytest.fixture
def objs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return matrix_objects.build()


@pytest.fixture
def superuser():
    return UserFactory(username="root-b22", is_staff=True, is_superuser=True)


@pytest.fixture
def root(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def _refused(response) -> bool:
    """403, or the form shown again with its errors (Django's admin re-renders with status 200 on invalid input)."""
    if response.status_code == 403:
        return True
    context = response.context
    return (
        response.status_code == 200
        and context is not None
        and bool(context.get("errors") or (context.get("adminform") and context["adminform"].form.errors))
    )


def test_every_model_admin_refuses_a_payload_that_breaks_its_rule(objs, root, superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    walked = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith(OURS):
            continue  # Django's and django-axes' own tables
        count = model._default_manager.count()
        add = _url(model, "add")
        if add:
            response = root.post(add, {})  # nothing filled in: every required field and every rule broken
            can_add = model_admin.has_add_permission(request)
            assert _refused(response), f"{model.__name__}: add accepted ({response.status_code})"
            assert can_add or response.status_code == 403, model.__name__
        obj = model._default_manager.first()
        if obj is not None:
            before = model_to_dict(obj)
            response = root.post(_url(model, "change", obj.pk), {})
            assert _refused(response), f"{model.__name__}: change accepted ({response.status_code})"
            obj.refresh_from_db()
            assert model_to_dict(obj) == before, model.__name__
        assert model._default_manager.count() == count, f"{model.__name__}: a row was written"
        walked.append(model.__name__)
    assert {"AppealCommission", "Appeal", "Policy", "Student", "AuditEvent", "Document", "Slot"} <= set(walked)


def _appeal_commission_payload(objs, members: list[tuple]) -> dict:
    w = objs["world"]
    data = {
        "institution": w.institution.pk,
        "academic_year": w.commission.academic_year,
        "name_kk": "Апелляциялық комиссия (әкімші)",
        "name_ru": "Апелляционная комиссия (админ)",
        "name_en": "",
        "order_number": "A-77",
        "order_date": "2026-05-02",
        "commissions": [w.commission.pk],
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, (user, role) in enumerate(members):
        data[f"members-{i}-user"] = user.pk
        data[f"members-{i}-role"] = role
    return data


def test_an_appeal_commission_added_in_admin_gets_the_services_check_message_and_audit(objs, root):
    w = objs["world"]
    outsiders = [UserFactory(username=f"appeal-b22-{i}") for i in range(3)]
    registrar = UserFactory(username="registrar-b22")
    Staff.objects.create(user=registrar, institution=w.institution, position="Тіркеуші", is_administrative=True)
    chair, member = AppealMember.Role.CHAIR, AppealMember.Role.MEMBER
    count = AppealCommission.objects.count()
    add = reverse("admin:appeals_appealcommission_add")
    refusals = {
        "odd number": [(outsiders[0], chair), (outsiders[1], member)],
        "sits on the attestation commission": [(outsiders[0], chair), (outsiders[1], member), (w.member, member)],
        "administrative staff": [(outsiders[0], chair), (outsiders[1], member), (registrar, member)],
    }
    for words, members in refusals.items():
        response = root.post(add, _appeal_commission_payload(objs, members))
        assert response.status_code == 200 and words in response.content.decode(), words
        assert AppealCommission.objects.count() == count
    response = root.post(
        add, _appeal_commission_payload(objs, [(u, chair if i == 0 else member) for i, u in enumerate(outsiders)])
    )
    assert response.status_code == 302
    made = AppealCommission.objects.get(order_number="A-77")
    assert made.members.count() == 3 and list(made.commissions.all()) == [w.commission]
    assert AuditEvent.objects.filter(verb="appeal_commission.create", object_id=str(made.pk)).exists()
    change = reverse("admin:appeals_appealcommission_change", args=[made.pk])
    assert root.post(change, _appeal_commission_payload(objs, [(outsiders[0], chair)])).status_code == 403

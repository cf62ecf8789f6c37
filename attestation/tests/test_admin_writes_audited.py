"""Issue 20: nothing in /admin/ writes a row around the services. Every registered ModelAdmin that can add, change
or delete (for a superuser) is a ServiceAdmin — its save, its delete and its bulk delete call the model's service,
which writes the audit entry — or is listed here with the service its save hands the row to; every inline of such an
admin is read-only, but for the appeal commission's add form, whose members go to the same service."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from appeals.admin import AppealCommissionAdmin, AppealMemberInline
from attestation.core.admin_guard import ServiceAdmin
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The admins that write through their own override, and where.
THROUGH_THEIR_OWN = {
    AppealCommissionAdmin: "save_related calls appeals.services.appeal_commission_create",
}
WRITING_INLINES = {AppealMemberInline}  # only on the add form: its rows go to appeal_commission_create


def _request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root-walk", is_staff=True, is_superuser=True)
    return request


def test_every_admin_that_writes_goes_through_a_service():
    request = _request()
    writers = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith(("attestation.", "commissions.", "exams.", "appeals.", "proctoring.", "api.")):
            continue
        writes = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if not writes:
            continue
        writers.append(model)
        assert isinstance(model_admin, ServiceAdmin) or type(model_admin) in THROUGH_THEIR_OWN, model
        if isinstance(model_admin, ServiceAdmin):
            assert "delete_selected" not in model_admin.get_actions(request), model  # one row at a time, by service
            for name in ("save_model", "delete_model", "delete_queryset"):
                owner = next(k for k in type(model_admin).__mro__ if name in vars(k))
                calls = vars(owner)[name].__code__.co_names
                assert owner is ServiceAdmin or "services" in calls, (model, name, owner)  # an override: a service
        for inline in model_admin.get_inline_instances(request, None):
            if type(inline) in WRITING_INLINES:
                continue
            assert not (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request, None)
                or inline.has_delete_permission(request, None)
            ), (model, type(inline))
    assert len(writers) >= 10  # the institution, its structure, staff and roles, accounts, the appeal commission

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from appeals.models import Appeal, AppealCommission, AppealMember
from appeals.services import appeal_commission_create, composition_problems
from attestation.core.admin_guard import ReadOnlyAdmin, ReadOnlyInline
from attestation.institutions.models import Institution
from commissions.models import Commission


def _members(formset) -> list[tuple]:
    return [
        (f.cleaned_data["user"], f.cleaned_data.get("role"))
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class MemberInlineFormSet(forms.BaseInlineFormSet):
    """The admin refuses an unlawful composition with the service's own check and messages (R8), naming each
    person — on the add form too, where the commission does not exist yet (its fields are read from the POST)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        institution = Institution.objects.filter(pk=self.data.get("institution") or None).first()
        chosen = self.data.getlist("commissions") if hasattr(self.data, "getlist") else []
        commissions = Commission.objects.filter(pk__in=[pk for pk in chosen if pk.isdigit()])
        problems = composition_problems(institution=institution, commissions=commissions, members=_members(self))
        if problems:
            raise ValidationError(problems)


class AppealMemberInline(admin.TabularInline):
    model = AppealMember
    formset = MemberInlineFormSet
    extra = 3
    raw_id_fields = ("user",)


class AppealMemberReadOnly(ReadOnlyInline):
    model = AppealMember
    fields = ("user", "role")


@admin.register(AppealCommission)
class AppealCommissionAdmin(admin.ModelAdmin):
    """Made through appeals.services.appeal_commission_create (R8 check, message, audit entry); once made, shown
    read-only — its composition is the order's and changes by a new order."""

    list_display = ("name_kk", "institution", "academic_year", "order_number")

    def get_inlines(self, request, obj):
        return [AppealMemberInline] if obj is None else [AppealMemberReadOnly]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Nothing is saved here: save_related hands the whole commission to the service."""

    def save_related(self, request, form, formsets, change):
        members = [m for formset in formsets for m in _members(formset)]
        data = form.cleaned_data
        created = appeal_commission_create(
            actor=request.user,
            institution=data["institution"],
            academic_year=data["academic_year"],
            name_kk=data["name_kk"],
            name_ru=data["name_ru"],
            name_en=data.get("name_en", ""),
            order_number=data["order_number"],
            order_date=data["order_date"],
            commissions=data["commissions"],
            members=members,
        )
        form.instance.pk, form.instance._state.adding = created.pk, False  # the admin's message and redirect
        for formset in formsets:  # the service saved the members; the admin's change message reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = list(created.members.all()), [], []


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):  # filed, heard, voted and answered through appeals.services
    list_display = ("result", "state", "filed_at", "hearing_due_at", "outcome")
    list_filter = ("state", "outcome")

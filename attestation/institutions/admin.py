"""The institution, its structure, staff and roles are written here only through their services (the same checks
and messages as the portal's pages, an audit entry with before and after); the policy and the students read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from attestation.core.admin_guard import ReadOnlyAdmin, ServiceAdmin
from attestation.institutions import models, services


class StructureAdmin(ServiceAdmin):
    """A faculty, department, programme, group, discipline or period: structure_save / structure_delete. A row
    stays in its institution (moving it would leave its dependents in the other one)."""

    service_save = staticmethod(services.structure_save)
    service_delete = staticmethod(services.structure_delete)
    service_dependents = staticmethod(services.structure_delete_problems)

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in self.opts.fields]
        return ("institution",) if obj is not None and "institution" in fields else ()


class InstitutionAddForm(forms.ModelForm):
    academic_year = forms.IntegerField(
        label=_("academic year (first calendar year)"),
        min_value=2000,
        max_value=2100,
        help_text=_("Its policy is made for this year with the documents' defaults, with the default grade scale."),
    )

    class Meta:
        model = models.Institution
        fields = ["kind", "short_name", "name_kk", "name_ru", "name_en", "time_zone", "website"]


@admin.register(models.Institution)
class InstitutionAdminPage(ServiceAdmin):
    """Added through institution_create (its policy and grade scale come with it), changed through
    institution_update; never deleted here (everything of the institution would go with it)."""

    list_display = ("short_name", "name_kk", "kind", "time_zone")
    service_delete = staticmethod(services.structure_delete)
    service_dependents = staticmethod(services.structure_delete_problems)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = InstitutionAddForm
            kwargs["fields"] = [*InstitutionAddForm.Meta.fields, "academic_year"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": [*InstitutionAddForm.Meta.fields, "academic_year"]})]
        return super().get_fieldsets(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.institution_update(actor=request.user, instance=obj)
            return
        data = {name: form.cleaned_data[name] for name in ("kind", "short_name", "name_kk", "name_ru", "name_en")}
        made = services.institution_create(
            actor=request.user,
            academic_year=form.cleaned_data["academic_year"],
            time_zone=form.cleaned_data["time_zone"],
            **data,
        )
        if form.cleaned_data.get("website"):
            made.website = form.cleaned_data["website"]
            services.institution_update(actor=request.user, instance=made)
        obj.pk, obj._state.adding = made.pk, False  # the admin's message and redirect


@admin.register(models.Policy)
class PolicyAdmin(ReadOnlyAdmin):  # edited at /institutions/<id>/policy/ (policy_update: bounds, audit)
    list_display = ("institution", "academic_year", "cutoff_date", "degree_vote_mode")


@admin.register(models.Student)
class StudentAdmin(ReadOnlyAdmin):  # imported and changed by the registrar's services (IIN checked, audited)
    list_display = ("iin", "last_name_kk", "first_name_kk", "group", "study_language")
    list_select_related = ("group",)
    search_fields = ("iin", "last_name_kk", "last_name_ru", "record_number")
    list_filter = ("institution", "study_language")
    raw_id_fields = ("user",)


@admin.register(models.Staff)
class StaffAdmin(StructureAdmin):
    """staff_save: the department is the institution's own; administrative staff sit on no appeal commission (R8)."""

    list_display = ("user", "institution", "position", "is_administrative")
    raw_id_fields = ("user",)
    service_check = staticmethod(services.staff_check)
    service_save = staticmethod(services.staff_save)


for model in (
    models.Faculty,
    models.Department,
    models.Programme,
    models.Group,
    models.Discipline,
    models.AttestationPeriod,
    models.DepartmentHead,
    models.Registrar,
    models.InstitutionAdmin,
):
    admin.site.register(model, StructureAdmin)

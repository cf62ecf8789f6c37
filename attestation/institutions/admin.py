from django.contrib import admin

from attestation.core.admin_guard import ReadOnlyAdmin
from attestation.institutions import models


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name_kk", "kind", "time_zone")


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


for model in (
    models.Faculty,
    models.Department,
    models.Programme,
    models.Group,
    models.Discipline,
    models.Staff,
    models.DepartmentHead,
    models.Registrar,
    models.InstitutionAdmin,
):
    admin.site.register(model)

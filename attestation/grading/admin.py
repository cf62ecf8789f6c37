from django.contrib import admin

from attestation.grading.models import GradeBand, GradeScale


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(GradeScale)
class GradeScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "valid_from", "uses_five_point")
    inlines = [GradeBandInline]

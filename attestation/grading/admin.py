from django.contrib import admin

from attestation.core.admin_guard import ReadOnlyAdmin, ReadOnlyInline
from attestation.grading.models import GradeBand, GradeScale


class GradeBandInline(ReadOnlyInline):
    model = GradeBand


@admin.register(GradeScale)
class GradeScaleAdmin(ReadOnlyAdmin):
    """Read-only: every grade, protocol and vedomost already issued was computed with the scale in force on its day;
    a scale is made with its institution (grade_scale_create_default) and a new one takes effect from a date."""

    list_display = ("name", "institution", "valid_from", "uses_five_point")
    inlines = [GradeBandInline]

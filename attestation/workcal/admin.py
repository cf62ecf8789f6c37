from django.contrib import admin

from attestation.core.admin_guard import ReadOnlyAdmin
from attestation.workcal.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ReadOnlyAdmin):
    """Read-only: the decrees move deadlines already counted (appeal windows, the I cutoff); the institution's
    administrator edits them in the portal through the calendar's service."""

    list_display = ("date", "kind", "institution", "note")
    list_filter = ("kind", "institution")
    date_hierarchy = "date"

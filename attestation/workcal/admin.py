from django.contrib import admin

from attestation.workcal.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "institution", "note")
    list_filter = ("kind", "institution")
    date_hierarchy = "date"

from django.contrib import admin

from attestation.core.models import AuditEvent, Deadline, Notification


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "verb", "content_type", "object_id")
    list_filter = ("verb",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("kind", "due_at", "state", "handled_at")
    list_filter = ("kind", "state")


admin.site.register(Notification)

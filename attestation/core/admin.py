from django.contrib import admin

from attestation.core.admin_guard import ReadOnlyAdmin
from attestation.core.models import AuditEvent, Deadline, Notification


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "verb", "content_type", "object_id")
    list_filter = ("verb",)


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):  # the sweep claims and handles each row
    list_display = ("kind", "due_at", "state", "handled_at")
    list_filter = ("kind", "state")


admin.site.register(Notification, ReadOnlyAdmin)  # sent by the services

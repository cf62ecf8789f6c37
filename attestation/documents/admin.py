from django.contrib import admin

from attestation.core.admin_guard import ReadOnlyAdmin
from attestation.documents.models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):  # rendered and hashed by the services; its hash is its identity
    list_display = ("kind", "language", "created_at", "sha256")
    readonly_fields = ("sha256",)

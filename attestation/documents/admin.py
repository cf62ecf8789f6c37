from django.contrib import admin

from attestation.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "language", "created_at", "sha256")
    readonly_fields = ("sha256",)

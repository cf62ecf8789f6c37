from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "attestation.documents"
    label = "documents"
    verbose_name = "Documents"

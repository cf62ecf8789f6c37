from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "attestation.institutions"
    label = "institutions"
    verbose_name = "Institutions"

from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "attestation.grading"
    label = "grading"
    verbose_name = "Grade scale"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attestation.core"
    label = "core"
    verbose_name = "Core"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attestation.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from attestation.core import middleware  # noqa: F401 - connects the login signal

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attestation.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from attestation.core import collation, middleware  # noqa: F401 - connect their signals

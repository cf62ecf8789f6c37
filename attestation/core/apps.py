from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attestation.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Django's way: modules that connect signals are imported once the apps are loaded.
        from attestation.core import collation, site  # noqa: F401 - connect their signal and deploy check

from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "attestation.institutions"
    label = "institutions"
    verbose_name = "Institutions"

    def ready(self) -> None:
        # Django's way: modules that connect signals are imported once the apps are loaded.
        from attestation.institutions import middleware  # noqa: F401 - remembers the time zone at login

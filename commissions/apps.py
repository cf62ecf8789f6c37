from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = "Commissions"

    def ready(self) -> None:
        from commissions import deadline_handlers  # noqa: F401 - registers the handlers

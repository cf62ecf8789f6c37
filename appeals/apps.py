from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        from appeals import deadline_handlers  # noqa: F401 - registers the handlers

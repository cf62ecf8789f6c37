from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded.
        from appeals import deadline_handlers, hooks  # noqa: F401 - registers the handlers and the hooks

from django.apps import AppConfig


class ProctoringConfig(AppConfig):
    name = "proctoring"
    verbose_name = "Proctoring"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded.
        from proctoring import deadline_handlers, hooks  # noqa: F401 - registers the handlers and the hooks

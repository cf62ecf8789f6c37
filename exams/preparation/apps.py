from django.apps import AppConfig


class PreparationConfig(AppConfig):
    """The department's preparation: review lectures and the R14 steps before them, instruction webinars."""

    name = "exams.preparation"
    label = "preparation"
    verbose_name = "Preparation"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded.
        from exams.preparation import deadline_handlers  # noqa: F401 - registers the handlers

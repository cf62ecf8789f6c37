from django.apps import AppConfig


class YearendConfig(AppConfig):
    """The department's year end: transfers to the registrar and archive, the diploma request, accommodations."""

    name = "exams.yearend"
    label = "yearend"
    verbose_name = "Year end"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded (the tasks too, so
        # that a service queues a task by its name: attestation.core.queue).
        from exams.yearend import deadline_handlers, hooks, tasks  # noqa: F401 - registers handlers, hooks, tasks

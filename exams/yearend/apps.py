from django.apps import AppConfig


class YearendConfig(AppConfig):
    """The department's year end: transfers to the registrar and archive, the diploma request, accommodations."""

    name = "exams.yearend"
    label = "yearend"
    verbose_name = "Year end"

    def ready(self) -> None:
        from exams.yearend import deadline_handlers  # noqa: F401 - registers the handlers

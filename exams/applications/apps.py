from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Students' applications (missed, postponement, summative replacement, re-study), transcripts, "I" cutoff."""

    name = "exams.applications"
    label = "applications"
    verbose_name = "Applications and transcripts"

    def ready(self) -> None:
        from exams.applications import deadline_handlers, receivers  # noqa: F401 - registers the handlers

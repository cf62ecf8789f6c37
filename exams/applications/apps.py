from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Students' applications (missed, postponement, summative replacement, re-study), transcripts, "I" cutoff."""

    name = "exams.applications"
    label = "applications"
    verbose_name = "Applications and transcripts"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded (the tasks too, so
        # that a service queues a task by its name: attestation.core.queue).
        from exams.applications import deadline_handlers, hooks, receivers, tasks  # noqa: F401 - registers them

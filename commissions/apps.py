from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = "Commissions"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded (the tasks too, so
        # that a service queues a task by its name: attestation.core.queue).
        from commissions import deadline_handlers, page_hooks, tasks  # noqa: F401 - registers the handlers and the tasks

from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Exams"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded (the tasks too, so
        # the web process knows every task by name).
        from exams import case_file_parts, deadline_handlers, page_hooks, planning_facts, tasks  # noqa: F401 - they register themselves

        planning_facts.register()

from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Exams"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded.
        from exams import planning_facts

        planning_facts.register()

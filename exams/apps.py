from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Exams"

    def ready(self) -> None:
        from exams import planning_facts

        planning_facts.register()

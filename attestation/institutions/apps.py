from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "attestation.institutions"
    label = "institutions"
    verbose_name = "Institutions"

    def ready(self) -> None:
        # Django's way: modules that connect signals are imported once the apps are loaded; the tasks too, so that a
        # service queues a task by its name (attestation.core.queue).
        from attestation.core.jobs import job_kind  # the one jobs mechanism, told about this app's job model
        from attestation.institutions import middleware, tasks  # noqa: F401 - the time zone at login; the tasks
        from attestation.institutions.models import StudentImport  # a model, only once the apps are loaded

        job_kind(StudentImport, task=tasks.STUDENT_IMPORT_TASK)  # a student file imported by the worker

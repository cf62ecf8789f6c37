from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    """Admission to final attestation: theses, reviews, plagiarism checks, clearance, the admission decision."""

    name = "exams.admission"
    label = "admission"
    verbose_name = "Admission to final attestation"

    def ready(self) -> None:
        # Django's way: modules that register themselves are imported once the apps are loaded.
        from exams.admission import deadline_handlers, hooks  # noqa: F401 - registers the handlers and the hooks

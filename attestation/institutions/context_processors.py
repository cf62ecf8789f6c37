from django.utils.functional import SimpleLazyObject

from attestation.institutions.models import Student


def navigation(request):
    """Whether the person is a student (for the 'My schedule' link), read only if a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_student": False}

    def student_exists() -> bool:
        return Student.objects.filter(user=user).exists()

    return {"is_student": SimpleLazyObject(lambda: bool(student_exists()))}

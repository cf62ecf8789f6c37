"""Every time shown in the person's institution's time zone: "end of the working day" is local."""

import zoneinfo

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from attestation.institutions.models import Institution

SESSION_KEY = "institution_tz"


def institution_time_zone(user) -> str | None:
    """The time zone of the person's institution (Asia/Almaty or Asia/Aqtobe...), read once at login."""
    institution = (
        Institution.objects.filter(students__user=user).first()
        or Institution.objects.filter(staff__user=user).first()
        or Institution.objects.filter(commissions__memberships__user=user).first()
    )
    return institution.time_zone if institution else None


@receiver(user_logged_in)
def _remember_time_zone(sender, request, user, **kwargs):
    tz = institution_time_zone(user)
    if tz:
        request.session[SESSION_KEY] = tz


class InstitutionTimeZoneMiddleware:
    """Shows every time in the institution's own time zone: 'end of the working day' is local."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if tz:
            timezone.activate(zoneinfo.ZoneInfo(tz))
        else:
            timezone.deactivate()
        return self.get_response(request)

"""Every time shown in the person's institution's time zone: "end of the working day" is local.

The zone is kept in the session, read from the database once; a change of an institution's time zone makes every
session read it again at its next request (`copy_keep` / `copies_changed`, attestation/core/sessions: the sessions
read the stamp with themselves, so no request pays a query or a round trip for it)."""

import zoneinfo

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from attestation.core.sessions import copies_changed, copies_source, copy_keep, is_copy
from attestation.institutions.models import Institution

SESSION_KEY = "institution_tz"


# Every way a person belongs to an institution, as lookups from Institution; the first that finds one decides.
_BELONGS = (
    "students__user",
    "staff__user",
    "commissions__memberships__user",
    "commissions__sittings__proctors__user",  # a proctor (R7) fills forms with times: the sitting's zone
    "departments__heads__user",
    "admins__user",
    "registrars__user",
)


def institution_time_zone(user) -> str | None:
    """The time zone of the person's institution (Asia/Almaty or Asia/Aqtobe...), read once per session (and again
    after an institution's time zone changed)."""
    for lookup in _BELONGS:
        institution = Institution.objects.filter(**{lookup: user}).first()
        if institution is not None:
            return institution.time_zone
    return None


@copies_source
def _time_zones() -> str:
    """What a session's copied zone depends on: every institution's zone (read when the copies stamp is missing)."""
    return ";".join(f"{pk}={zone}" for pk, zone in Institution.objects.order_by("pk").values_list("pk", "time_zone"))


@receiver(user_logged_in)
def _remember_time_zone(sender, request, user, **kwargs):
    copy_keep(request.session, SESSION_KEY, institution_time_zone(user) or "")  # "": none, the portal's own zone


@receiver(pre_save, sender=Institution, dispatch_uid="institutions.sessions_read_time_zone_again")
def _time_zone_changing(sender, instance, update_fields=None, **kwargs):
    """Tells, before the row is written, whether the save changes the institution's time zone (one query per save of
    an institution); the sessions are told after it is written (`_time_zone_changed`)."""
    instance._time_zone_changing = not instance._state.adding and (
        (update_fields is None or "time_zone" in update_fields)
        and Institution.objects.filter(pk=instance.pk).exclude(time_zone=instance.time_zone).exists()
    )


@receiver(post_save, sender=Institution, dispatch_uid="institutions.sessions_read_time_zone_again_written")
def _time_zone_changed(sender, instance, **kwargs):
    """Every session reads its zone again at its next request once an institution's time zone has changed (the
    session does not say whose institution it copied the zone of, and a change is rare). After the row is written, so
    that the stamp's digest, read once the change is committed (at once for a save outside a transaction), is the new
    zone's."""
    if getattr(instance, "_time_zone_changing", False):
        instance._time_zone_changing = False
        copies_changed()


class InstitutionTimeZoneMiddleware:
    """Shows every time in the institution's own time zone: 'end of the working day' is local."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        tz = session.get(SESSION_KEY) if session is not None and is_copy(session, SESSION_KEY) else None
        if tz is None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            # A session that did not go through the login signal (one started before this lookup), one that kept the
            # zone before it was a copy, or one whose zone was dropped after a change of an institution's time zone:
            # looked up once.
            tz = institution_time_zone(request.user) or ""
            copy_keep(request.session, SESSION_KEY, tz)
        if tz:
            timezone.activate(zoneinfo.ZoneInfo(tz))
        else:
            timezone.deactivate()
        return self.get_response(request)


def show_times_of(institution: Institution) -> zoneinfo.ZoneInfo:
    """For the rest of this request, times are shown and read in the institution's zone: the pages of one sitting (the
    console, a student's desk, the proctors' forms and lists) are in the sitting's zone whoever looks — a proctor from
    another institution, the portal's superuser — whatever the server's TIME_ZONE or the browser's. The middleware
    sets the zone again at the start of the next request."""
    zone = zoneinfo.ZoneInfo(institution.time_zone)
    timezone.activate(zone)
    return zone

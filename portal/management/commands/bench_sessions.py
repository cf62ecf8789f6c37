"""Writes session cookies for benchmark users, one per line, so a load tool can act as many logged-in people."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.module_loading import import_string

from attestation.core.sessions import copy_keep
from attestation.institutions.middleware import SESSION_KEY as TIME_ZONE_SESSION_KEY
from attestation.institutions.middleware import institution_time_zone
from commissions.models import Slot


def session_cookie(user) -> str:
    """A logged-in session for `user`, as the `name=value` a browser would send: what a login stores, the
    institution's time zone included (without it each session's first request in a run would look the zone up and
    write the session, a cost no real visit after a login pays)."""
    session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()  # as the portal stores them
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "attestation.accounts.backends.UsernameOrEmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    copy_keep(session, TIME_ZONE_SESSION_KEY, institution_time_zone(user) or "")  # as the login signal keeps it
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def waiting_exam_paths(users) -> dict[int, str]:
    """Each user's exam-page poll URL for the slot where they wait to be admitted (scheduled or identified)."""
    slots = Slot.objects.filter(student__user__in=users, attempt__state__in=["scheduled", "identified"])
    return {
        user_id: reverse("exams:student_status", args=[pk]) for pk, user_id in slots.values_list("pk", "student__user_id")
    }


class Command(BaseCommand):
    help = (
        "Prints `sessionid=...` cookies for the first N users whose username starts with PREFIX; with "
        "--exam-status, each followed by a tab and the URL the student's exam page polls."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefix")
        parser.add_argument("--count", type=int, default=500)
        parser.add_argument("--exam-status", action="store_true")

    def handle(self, *args, prefix: str, count: int, exam_status: bool, **options):
        users = list(get_user_model().objects.filter(username__startswith=prefix).order_by("pk")[:count])
        paths = waiting_exam_paths(users) if exam_status else {}
        for user in users:
            if exam_status and user.pk not in paths:
                continue
            line = session_cookie(user)
            self.stdout.write(f"{line}\t{paths[user.pk]}" if exam_status else line)

"""Writes session cookies for benchmark users, one per line, so a load tool can act as many logged-in people."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints `sessionid=...` cookies for the first N users whose username starts with PREFIX."

    def add_arguments(self, parser):
        parser.add_argument("prefix")
        parser.add_argument("--count", type=int, default=500)

    def handle(self, *args, prefix: str, count: int, **options):
        users = get_user_model().objects.filter(username__startswith=prefix).order_by("pk")[:count]
        for user in users:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "attestation.accounts.backends.UsernameOrEmailBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            self.stdout.write(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from attestation.core.demo import PASSWORD, demo_create


class Command(BaseCommand):
    help = "Creates the demo university and college with people, commissions and a filled schedule (once)."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(username="admin").exists():
            self.stdout.write("Demo data already present.")
            logins = {"institution administrator (superuser)": "admin", "registrar": "registrar",
                      "head of department": "head", "commission chair": "chair", "commission member": "member",
                      "technical secretary": "secretary", "student": "student"}
        else:
            logins = demo_create()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for role, username in logins.items():
            self.stdout.write(f"  {role:40} {username}")

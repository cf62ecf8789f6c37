from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from attestation.core.site import portal_base_url
from portal.demo import DEMO_LOGINS, PASSWORD, demo_create, demo_schedule_defenses

# Each app adds its own demo layer on top of the core one (programmes and tickets, then graded sittings).
LAYERS = (
    "seed_demo_exams",
    "seed_demo_admission",
    demo_schedule_defenses,
    "seed_demo_results",
    "seed_demo_applications",
    "seed_demo_yearend",
)


class Command(BaseCommand):
    help = "Creates the demo university and college with people, commissions, a filled schedule, and each app's layer."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(username="admin").exists():
            self.stdout.write("Demo data already present.")
        else:
            demo_create()
            available = get_commands()
            for layer in LAYERS:
                if callable(layer):
                    layer()
                elif layer in available:
                    call_command(layer)
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(
            f"QR codes in the documents point to {portal_base_url()}/verify/… (PORTAL_BASE_URL; set it to change this)."
        )
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for role, username in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:40} {username}")

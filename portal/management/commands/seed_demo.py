import datetime as dt
from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from attestation.core.site import portal_base_url
from portal.demo import DEMO_LOGINS, PASSWORD, demo_clock, demo_create, demo_days, demo_schedule_held_defenses

# Each app adds its own demo layer on top of the core one (programmes and tickets, then graded sittings).
LAYERS = (
    "seed_demo_exams",
    "seed_demo_admission",
    demo_schedule_held_defenses,
    "seed_demo_results",
    "seed_demo_applications",
    "seed_demo_yearend",
)
# The layers set up before the first sitting run this long after the world was (DemoDays.prepared): the exam
# programme and tickets approved, the theses reviewed and the admission decided weeks before the first sitting.
# The results layer keeps each held sitting's own moments; the applications and the year end are today's.
BEFORE_THE_SITTINGS = {"seed_demo_exams": dt.timedelta(hours=1), "seed_demo_admission": dt.timedelta(hours=2)}


def layer_run(layer, available, **options) -> None:
    """Runs one demo layer (a function, or a command when its app is installed), at its moment."""
    if callable(layer):
        layer()
    elif layer in available:
        after = BEFORE_THE_SITTINGS.get(layer)
        with demo_clock(demo_days().prepared + after) if after is not None else nullcontext():
            call_command(layer, **options)


class Command(BaseCommand):
    help = "Creates the demo university and college with people, commissions, a filled schedule, and each app's layer."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(username="admin").exists():
            self.stdout.write("Demo data already present.")
        else:
            demo_create()
            available = get_commands()
            for layer in LAYERS:
                layer_run(layer, available)
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(
            f"QR codes in the documents point to {portal_base_url()}/verify/… (PORTAL_BASE_URL; set it to change this)."
        )
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for role, username in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:40} {username}")

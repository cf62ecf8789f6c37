from celery import shared_task
from django.utils import timezone

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import Heartbeat
from attestation.core.pages_rebuild import pages_rebuild


@shared_task(name="attestation.core.tasks.deadlines_sweep_task")
def deadlines_sweep_task() -> int:
    """The beat job behind every deadline of the portal."""
    Heartbeat.objects.update_or_create(name="deadlines_sweep", defaults={"at": timezone.now()})
    return deadlines_sweep()


@shared_task(name="attestation.core.tasks.pages_rebuild_task")
def pages_rebuild_task() -> int | None:
    """The beat job that builds again what was built ahead when the shared cache lost it (pages_rebuild.py); one
    cache read when it did not. Nothing without a shared cache."""
    return pages_rebuild(now=timezone.now())

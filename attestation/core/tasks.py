from celery import shared_task
from django.utils import timezone

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import Heartbeat


@shared_task(name="attestation.core.tasks.deadlines_sweep_task")
def deadlines_sweep_task() -> int:
    """The beat job behind every deadline of the portal."""
    Heartbeat.objects.update_or_create(name="deadlines_sweep", defaults={"at": timezone.now()})
    return deadlines_sweep()

"""The Celery app; the beat schedule lists every periodic job of the portal in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

app = Celery("attestation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Every periodic job of the portal, in one place. Each job is idempotent and catches up after downtime.
app.conf.beat_schedule = {
    "deadlines-sweep": {
        "task": "attestation.core.tasks.deadlines_sweep_task",
        "schedule": float(os.environ.get("DEADLINE_SWEEP_SECONDS", "60")),
    },
    # The pages built ahead, built again if the shared cache lost them (attestation/core/pages_rebuild.py).
    "pages-rebuild": {
        "task": "attestation.core.tasks.pages_rebuild_task",
        "schedule": float(os.environ.get("PAGES_REBUILD_SECONDS", "60")),
    },
}


@app.task(name="attestation.ping_task")
def ping_task() -> str:
    return "pong"

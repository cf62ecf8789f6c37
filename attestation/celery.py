"""The Celery app; the beat schedule lists every periodic job of the portal in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

app = Celery("attestation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _beat_schedule(sender, **kwargs):
    from django.conf import settings

    sender.conf.beat_schedule = {
        "deadlines-sweep": {
            "task": "attestation.core.tasks.deadlines_sweep_task",
            "schedule": float(settings.DEADLINE_SWEEP_SECONDS),
        },
    }


@app.task(name="attestation.ping_task")
def ping_task() -> str:
    return "pong"

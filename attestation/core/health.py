"""Database, broker and worker status for the health page and the test runner's banner."""

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.celery import app
from attestation.core.models import Heartbeat


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "detail": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - the page reports any failure
        return {"ok": False, "detail": str(exc)[:200]}


def broker_status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": _("tasks run in the web process")}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return {"ok": True, "detail": conn.transport_cls}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "detail": str(exc)[:200]}


def worker_status() -> dict:
    """A worker is alive when the beat sweep ran recently (works with every broker), or it answers a ping."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": _("tasks run in the web process")}
    beat = Heartbeat.objects.filter(name="deadlines_sweep").first()
    fresh = beat and (timezone.now() - beat.at).total_seconds() < 3 * settings.DEADLINE_SWEEP_SECONDS
    if fresh:
        # the portal's local time (TIME_ZONE), as every other time it shows: the server's clock is UTC
        return {
            "ok": True,
            "detail": _("last deadline sweep at %(time)s") % {"time": f"{timezone.localtime(beat.at):%H:%M:%S}"},
        }
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        return {"ok": False, "detail": _("no deadline sweep in the last few minutes")}
    try:
        replies = app.control.inspect(timeout=1.0).ping() or {}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "detail": str(exc)[:200]}
    return {"ok": bool(replies), "detail": ", ".join(sorted(replies)) or _("no worker answered")}

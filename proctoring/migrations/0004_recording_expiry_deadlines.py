"""Recordings stored before retention existed get their expiry deadline, so the sweep handles them too (R21)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations


def add_deadlines(apps, schema_editor):
    Recording = apps.get_model("proctoring", "Recording")
    recordings = Recording.objects.filter(expired_at__isnull=True).select_related("sitting__commission__institution")
    if not recordings.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("core", "Deadline")
    content_type, _created = ContentType.objects.get_or_create(app_label="proctoring", model="recording")
    for recording in recordings:
        zone = ZoneInfo(recording.sitting.commission.institution.time_zone)
        due = dt.datetime.combine(recording.keep_until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        Deadline.objects.get_or_create(content_type=content_type, object_id=recording.pk, kind="recording_expire",
                                       defaults={"due_at": due, "state": "pending"})


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("proctoring", "0003_recording_retention_and_another_slot"),
    ]

    operations = [migrations.RunPython(add_deadlines, migrations.RunPython.noop)]

"""The commission and the student of the events written before their subjects were recorded, where the touched row
still exists (attestation/core/audit.py:subjects_backfill reads each model's `audit_subjects` paths)."""

from django.db import migrations

from attestation.core.audit import subjects_backfill


def forwards(apps, schema_editor):
    subjects_backfill(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_subjects"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

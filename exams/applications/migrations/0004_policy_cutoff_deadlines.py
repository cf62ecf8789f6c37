"""R43: every existing policy gets its cutoff deadline (new and changed policies get it from policy_saved)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations


def cutoff_deadlines(apps, schema_editor):
    Policy = apps.get_model("institutions", "Policy")
    Deadline = apps.get_model("core", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    policies = Policy.objects.select_related("institution")
    if not policies.exists():
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="institutions", model="policy")
    for policy in policies:
        due_at = dt.datetime.combine(
            policy.cutoff_date + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(policy.institution.time_zone)
        )
        Deadline.objects.get_or_create(
            content_type=content_type,
            object_id=policy.pk,
            kind="applications_policy_cutoff",
            defaults={"due_at": due_at},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_summativedecision"),
        ("core", "0001_initial"),
        ("institutions", "0004_policy_quorum_honours"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(cutoff_deadlines, migrations.RunPython.noop)]

"""The score table written by imports: no index of its own on the student (the unique index leads with it), and
pages half full so that a re-import's changed scores are updated in place (HOT: no index entry per changed row)."""

import django.db.models.deletion
from django.db import migrations, models

FILLFACTOR = 50  # a re-import of a whole term changes every score once: each row finds room on its own page


def fillfactor(value: int | None):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite has no fillfactor
        table = schema_editor.quote_name(apps.get_model("applications", "TranscriptRow")._meta.db_table)
        setting = f"SET (fillfactor = {value})" if value else "RESET (fillfactor)"
        schema_editor.execute(f"ALTER TABLE {table} {setting}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_policy_cutoff_deadlines"),
        ("institutions", "0012_programme_arts_and_culture"),
    ]

    operations = [
        migrations.AlterField(
            model_name="transcriptrow",
            name="student",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transcript_rows",
                to="institutions.student",
            ),
        ),
        migrations.RunPython(fillfactor(FILLFACTOR), fillfactor(None)),
    ]

import django.db.models.deletion
from django.db import migrations, models


def fill_commission(apps, schema_editor):
    DocumentJob = apps.get_model("commissions", "DocumentJob")
    for job in DocumentJob.objects.select_related("sitting"):
        job.commission_id = job.sitting.commission_id
        job.save(update_fields=["commission"])


class Migration(migrations.Migration):
    dependencies = [
        ("commissions", "0002_documentjob_membergrade_gradecorrection_paper_result_and_more"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentjob", name="kind",
            field=models.CharField(choices=[("sitting", "protocols and grade sheet of a sitting"),
                                            ("report", "chair's report"),
                                            ("portfolio", "commission's electronic portfolio")],
                                   default="sitting", max_length=10),
        ),
        migrations.AddField(
            model_name="documentjob", name="commission",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="document_jobs", to="commissions.commission"),
        ),
        migrations.RunPython(fill_commission, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="documentjob", name="commission",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="document_jobs",
                                    to="commissions.commission"),
        ),
        migrations.AlterField(
            model_name="documentjob", name="sitting",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="document_jobs", to="commissions.sitting"),
        ),
        migrations.AddField(
            model_name="documentjob", name="text",
            field=models.TextField(blank=True, verbose_name="chair's text"),
        ),
        migrations.AddField(
            model_name="documentjob", name="output",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="documents.document"),
        ),
    ]

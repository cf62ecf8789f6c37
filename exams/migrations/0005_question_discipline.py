import django.db.models.deletion
from django.db import migrations, models


def link_sections(apps, schema_editor):
    """Questions already listed get the discipline their section names (as exams.programmes.discipline_named)."""
    Question = apps.get_model("exams", "Question")
    Discipline = apps.get_model("institutions", "Discipline")
    by_institution: dict = {}
    for question in Question.objects.select_related("programme__commission").filter(discipline__isnull=True):
        institution_id = question.programme.commission.institution_id
        if institution_id not in by_institution:
            by_institution[institution_id] = list(Discipline.objects.filter(institution_id=institution_id).order_by("pk"))
        section = question.section
        wanted = {" ".join(part.split()).casefold() for part in [section, *section.split("/")] if part.strip()}
        for discipline in by_institution[institution_id]:
            names = (discipline.code, discipline.name_kk, discipline.name_ru, discipline.name_en)
            if wanted & {" ".join(name.split()).casefold() for name in names if name}:
                Question.objects.filter(pk=question.pk).update(discipline=discipline)
                break


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0004_testing"),
        ("institutions", "0012_programme_arts_and_culture"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="discipline",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="institutions.discipline",
                verbose_name="discipline",
            ),
        ),
        migrations.RunPython(link_sections, migrations.RunPython.noop),
    ]

"""The Government's 2020 transfers of days off (five-day week), shipped as editable national overrides."""

import datetime as dt

from django.db import migrations

TRANSFERS_2020 = [
    (dt.date(2020, 1, 3), "day_off", "2020 decree: day off moved from Sun 5 Jan"),
    (dt.date(2020, 1, 5), "working_day", "2020 decree: working Sunday (day off moved to Fri 3 Jan)"),
    (dt.date(2020, 5, 8), "day_off", "2020 decree: day off moved from Mon 11 May"),
    (dt.date(2020, 5, 11), "working_day", "2020 decree: working Monday (day off moved to Fri 8 May)"),
    (dt.date(2020, 12, 18), "day_off", "2020 decree: day off moved from Sun 20 Dec"),
    (dt.date(2020, 12, 20), "working_day", "2020 decree: working Sunday (day off moved to Fri 18 Dec)"),
]


def add(apps, schema_editor):
    CalendarOverride = apps.get_model("workcal", "CalendarOverride")
    for day, kind, note in TRANSFERS_2020:
        CalendarOverride.objects.get_or_create(institution=None, date=day, defaults={"kind": kind, "note": note})


def remove(apps, schema_editor):
    CalendarOverride = apps.get_model("workcal", "CalendarOverride")
    CalendarOverride.objects.filter(institution=None, date__in=[d for d, _k, _n in TRANSFERS_2020]).delete()


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]

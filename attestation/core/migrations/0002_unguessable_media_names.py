"""Moves every stored file to a name with a random directory (attestation.core.storage): the names the portal
used before (by date, id or person) could be guessed and were served under /media/ with DEBUG on."""

import os

from django.core.files.storage import default_storage
from django.db import migrations, models


def move_files(apps, schema_editor):
    from attestation.core.storage import is_unguessable, unguessable_name

    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            rows = model._default_manager.exclude(**{field.name: ""}).values_list("pk", field.name)
            for pk, name in rows.iterator():
                if not name or is_unguessable(name):
                    continue
                new = unguessable_name(name)
                try:
                    old_path, new_path = default_storage.path(name), default_storage.path(new)
                except NotImplementedError:  # a storage without paths: leave its names
                    continue
                if os.path.exists(old_path):
                    os.makedirs(os.path.dirname(new_path), exist_ok=True)
                    os.replace(old_path, new_path)
                model._default_manager.filter(pk=pk).update(**{field.name: new})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True)]

"""Stored files go out only through the permission-checked download views: no /media/ route in any mode, names
nobody can guess, and behind nginx an X-Accel-Redirect instead of the file."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse

import portal.urls
from attestation.core.storage import is_unguessable, unguessable_name
from attestation.tests import matrix_objects

pytestmark = pytest.mark.django_db


def _stored_names() -> list[str]:
    names = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names += [n for n in model._default_manager.values_list(field.name, flat=True) if n]
    return names


@pytest.fixture
def world_with_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return matrix_objects.build()


def _fetch_all(client: Client, names: list[str], media_url: str) -> dict[str, int]:
    return {name: client.get(media_url + name).status_code for name in names}


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_no_stored_file_is_fetched_by_its_path_anonymously_or_by_another_student(world_with_files, settings, debug):
    names = _stored_names()
    assert len(names) >= 8, names  # ID copy, answer sheet, thesis, papers, appeal attachment, application, …
    assert all((Path(settings.MEDIA_ROOT) / n).is_file() for n in names)
    settings.DEBUG = debug

    importlib.reload(portal.urls)  # the URLconf as DEBUG builds it
    clear_url_caches()
    try:
        other = Client()
        other.force_login(world_with_files["users"]["other_student"])
        for client in (Client(), other):
            for prefix in (settings.MEDIA_URL, "/"):
                served = {n: code for n, code in _fetch_all(client, names, prefix).items() if code != 404}
                assert not served, served
        with pytest.raises(Resolver404):
            resolve(settings.MEDIA_URL + names[0])
    finally:
        settings.DEBUG = False
        importlib.reload(portal.urls)
        clear_url_caches()


def test_every_stored_file_lives_under_a_random_directory(world_with_files):
    names = _stored_names()
    guessable = [n for n in names if not is_unguessable(n)]
    assert not guessable, guessable
    assert len({n.rsplit("/", 2)[-2] for n in names}) == len(names)  # one fresh token per file


def test_behind_nginx_the_download_view_hands_the_file_to_nginx(world_with_files, client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/_protected/"
    appeal = world_with_files["appeal"]
    attachment = appeal.attachments.get()
    client.force_login(world_with_files["users"]["student"])
    response = client.get(reverse("appeals:attachment", args=[appeal.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected/" + attachment.file.name
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]


def test_the_migration_moves_old_guessable_names_under_a_random_directory(world_with_files, settings):
    migration = importlib.import_module("attestation.core.migrations.0002_unguessable_media_names")
    appeal = world_with_files["appeal"]
    attachment = appeal.attachments.get()
    old = "appeals/2026/05/evidence.pdf"
    (Path(settings.MEDIA_ROOT) / old).parent.mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / old).write_bytes(attachment.file.read())
    type(attachment).objects.filter(pk=attachment.pk).update(file=old)
    migration.move_files(apps, None)
    attachment.refresh_from_db()
    assert is_unguessable(attachment.file.name) and attachment.file.name.endswith("/evidence.pdf")
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / old).exists()
    assert unguessable_name(old) != unguessable_name(old)

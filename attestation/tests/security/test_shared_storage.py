"""Several nodes share one private S3-compatible bucket (ATTESTATION_MEDIA_STORAGE=s3): the portal saves every file
there under a name nobody can guess, serves it only through the permission-checked download views, and behind nginx
hands nginx a short-lived signed address instead of the file. moto plays the bucket in-process."""

from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

from attestation.core.storage import is_unguessable
from attestation.core.storage_s3 import UnguessableS3Storage
from attestation.tests.factories import World
from attestation.tests.matrix_objects import png_bytes
from proctoring import services as proctoring

pytestmark = pytest.mark.django_db

BUCKET = "portal-media"


@pytest.fixture
def shared_bucket(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "attestation.core.storage_s3.UnguessableS3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "default_acl": None,
                    "querystring_auth": True,
                    "file_overwrite": False,
                    "addressing_style": "path",
                    "signature_version": "s3v4",
                },
            },
        }
        yield s3


@pytest.fixture
def world(shared_bucket):
    """A student's ID copy (proctoring), stored through the portal's own service."""
    w = World.build()
    w.id_copy = proctoring.id_copy_upload(
        student=w.student, upload=SimpleUploadedFile("id.png", png_bytes()), actor=w.student.user
    )
    return w


def _keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_file_lands_in_the_shared_bucket_under_a_random_private_name_and_not_on_the_node(world, shared_bucket, settings):
    stored = world.id_copy.file
    assert isinstance(stored.storage._wrapped, UnguessableS3Storage)
    assert _keys(shared_bucket) == [stored.name] and is_unguessable(stored.name)
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))
    acl = shared_bucket.get_object_acl(Bucket=BUCKET, Key=stored.name)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # the owner alone: not public


def test_the_student_downloads_the_stored_file_through_the_view_and_another_student_cannot(world, client, shared_bucket):
    url = reverse("proctoring:id_copy_file", args=[world.id_copy.pk])
    client.force_login(world.other_student.user)
    assert client.get(url).status_code == 404
    client.force_login(world.student.user)
    response = client.get(url)
    assert response.status_code == 200
    stored = shared_bucket.get_object(Bucket=BUCKET, Key=world.id_copy.file.name)["Body"].read()
    assert b"".join(response.streaming_content) == stored and stored.startswith(b"\x89PNG")
    assert response["Cache-Control"] == "private, no-store" and "attachment" in response["Content-Disposition"]


def test_behind_nginx_the_view_hands_nginx_a_signed_short_lived_address_of_the_object(world, client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/_protected/"
    client.force_login(world.student.user)
    response = client.get(reverse("proctoring:id_copy_file", args=[world.id_copy.pk]))
    assert response.status_code == 200 and response.content == b""
    accel = urlsplit(response["X-Accel-Redirect"])
    assert accel.path == f"/_protected/{BUCKET}/{world.id_copy.file.name}"
    query = parse_qs(accel.query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    assert query["response-content-type"] == ["image/png"]
    assert query["response-content-disposition"][0].startswith("attachment;")

"""Stored files in an S3-compatible bucket that every node shares (ATTESTATION_MEDIA_STORAGE=s3; docs/media.md).

The bucket is private: no object is public, and nothing hands a browser a link to it. The download views read the
file through the storage (Django streams it) or, behind nginx, hand nginx a short-lived signed address of the object
(`accel_path`) that only nginx's internal location can follow. Kept apart from `storage` so that the embedded
default never imports boto3.
"""

from urllib.parse import urlsplit

from storages.backends.s3 import S3Storage

from attestation.core.storage import UnguessableNames

SIGNED_SECONDS = 60  # how long nginx has to start fetching the object after the portal said yes


class UnguessableS3Storage(UnguessableNames, S3Storage):
    """S3Storage whose every new file lands under a fresh random directory; private objects, signed reads (the
    options are set in settings.STORAGES)."""

    def accel_path(self, name: str, *, content_type: str, disposition: str) -> str:
        """The signed object's path and query (no host: nginx's internal location fixes it), answered with our
        type and disposition rather than whatever the object was stored with."""
        url = self.url(
            name,
            parameters={"ResponseContentType": content_type, "ResponseContentDisposition": disposition},
            expire=SIGNED_SECONDS,
        )
        parts = urlsplit(url)
        return parts.path.lstrip("/") + "?" + parts.query

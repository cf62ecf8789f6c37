"""Where uploaded and generated files are kept: under names nobody can guess, never served from a public URL.

Every stored file's path gets a random 128-bit directory (`appeals/2026/05/<32 hex>/evidence.pdf`), so a path
cannot be derived from an id, a date or a person's name. Nothing maps `/media/` to the files: they go out only
through the permission-checked download views (`attestation.core.downloads.protected_file_response`).
Several nodes share one bucket instead (`attestation.core.storage_s3`, ATTESTATION_MEDIA_STORAGE=s3).
"""

import os
import re
import secrets

from django.core.files.storage import FileSystemStorage

TOKEN = re.compile(r"[0-9a-f]{32}")


def is_unguessable(name: str) -> bool:
    """True when the stored name's directory is a random token."""
    parts = name.replace("\\", "/").split("/")
    return len(parts) >= 2 and bool(TOKEN.fullmatch(parts[-2]))


def unguessable_name(name: str) -> str:
    head, tail = os.path.split(name)
    return os.path.join(head, secrets.token_hex(16), tail)


class UnguessableNames:
    """A storage mixin: every new file lands under a fresh random directory."""

    def generate_filename(self, filename):
        return unguessable_name(super().generate_filename(filename))  # type: ignore[misc]


class UnguessableFileSystemStorage(UnguessableNames, FileSystemStorage):
    """The embedded default: files under MEDIA_ROOT on this machine's disk."""

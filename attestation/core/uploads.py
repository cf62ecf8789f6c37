"""Upload validation in one place: extension, size, and the file's own signature (magic bytes)."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "csv": None,  # text: checked by decoding
}


def validate_upload(upload, *, allowed: tuple[str, ...], max_bytes: int) -> str:
    """Returns the file's kind (its extension) or raises ValidationError saying what is wrong."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in allowed:
        raise ValidationError(
            _("%(name)s: this type of file is not accepted. Accepted: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(a.upper() for a in allowed)},
            code="file_type",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_size",
        )
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES.get(ext)
    if signatures and not head.startswith(signatures):
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file: its content does not match its name.")
            % {"name": name, "ext": ext.upper()},
            code="file_content",
        )
    if signatures is None and b"\x00" in head:
        raise ValidationError(_("%(name)s is not a text file.") % {"name": name}, code="file_content")
    return ext

"""Serving stored files so that a browser never runs them: always a download, a fixed type, a sandbox."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

SAFE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def protected_file_response(field_file, filename: str | None = None, *, inline_pdf: bool = False) -> FileResponse:
    """A response for a FileField the caller has already authorised: attachment (or inline PDF), never HTML.
    Without `filename`, the stored file's own name (its path's last part)."""
    if filename is None:
        filename = field_file.name.rsplit("/", 1)[-1]
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    content_type = SAFE_TYPES.get(ext, "application/octet-stream")
    inline = inline_pdf and content_type == "application/pdf"
    if settings.MEDIA_ACCEL_REDIRECT:  # behind nginx: it sends the file from its internal location (docs/media.md)
        response = HttpResponse(content_type=content_type)
        disposition = content_disposition_header(not inline, filename) or ""
        accel_path = getattr(field_file.storage, "accel_path", None)  # a shared bucket: nginx fetches a signed URL
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + (
            accel_path(field_file.name, content_type=content_type, disposition=disposition)
            if accel_path
            else quote(field_file.name)
        )
        response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            field_file.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # personal papers: never in a shared cache
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def sheet_keep_text(sheet) -> None:
    """Text a person typed (a name like "=HYPERLINK(…)") stays text in our spreadsheets: openpyxl would store any
    string that begins with "=" as a live formula, so every such cell is marked as a plain string."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """A CSV cell a spreadsheet shows as text: a value that would start a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text

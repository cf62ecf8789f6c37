"""HTML → PDF with WeasyPrint, in the document's language, with the shipped DejaVu font (Kazakh letters)."""

import hashlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from attestation.core.audit import audit_record
from attestation.documents.models import Document

FONT_DIR = settings.BASE_DIR / "static" / "fonts"


def _zone(context: dict):
    """The document's time zone: its institution's, so a time in it is the wall clock where it happened, whether a
    page or a worker renders it and whatever the server's TIME_ZONE; none known, the zone in force."""
    zone = getattr(context.get("institution"), "time_zone", "")
    return ZoneInfo(zone) if zone else timezone.get_current_timezone()


def document_html(*, template: str, context: dict, language: str) -> str:
    """The HTML a document's PDF is made of: its template in its language and its institution's time zone."""
    with translation.override(language), timezone.override(_zone(context)):
        return render_to_string(template, {**context, "font_dir": FONT_DIR.as_uri(), "language": language})


def pdf_bytes(*, template: str, context: dict, language: str) -> bytes:
    """Renders a document template to PDF bytes; fonts and images resolve against the project folder."""
    html = document_html(template=template, context=context, language=language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@transaction.atomic
def document_render(*, kind: str, template: str, context: dict, language: str, about, actor, filename: str) -> Document:
    """Renders and stores a new document about `about`; returns it with its SHA-256."""
    data = pdf_bytes(template=template, context=context, language=language)
    document = Document(
        kind=kind,
        language=language,
        content_type=ContentType.objects.get_for_model(about),
        object_id=about.pk,
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=timezone.now(),
    )
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    audit_record(actor=actor, verb="document.render", obj=document, after={"kind": kind, "sha256": document.sha256})
    return document

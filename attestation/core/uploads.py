"""Upload validation in one place: extension, size, and the file's own content.

The name only says what the file claims to be; the content decides. Pictures are decoded in full (a cut-off or
renamed file fails), PDFs must not carry HTML a browser could sniff or scripts a reader could run, Office files
must be real Office packages whose declared unpacked size is sane (a zip bomb is refused from its directory,
never expanded), CSV must be 8-bit text (UTF-8 or Windows-1251), not UTF-16.
"""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "csv": None,  # text: checked by decoding
}
IMAGE_FORMATS = {"jpg": ("JPEG", "MPO"), "jpeg": ("JPEG", "MPO"), "png": ("PNG",)}
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# What a browser's content sniffing reads as HTML/SVG (it looks at the first 512 bytes; we look further).
MARKUP = re.compile(rb"<\s*(?:html|head|body|script|svg|iframe|object|embed|meta|a\s|img\s|!doctype)", re.IGNORECASE)
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/Launch"}
PDF_ACTIVE_VALUES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia", "/RichMediaExecute", "/ImportData"}
STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n.*?endstream", re.DOTALL)
MAX_PDF_OBJECTS = 500_000
SNIFF_BYTES = 1024
MAX_PIXELS = 60_000_000
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_PACK_RATIO = 200  # deflate reaches ~1000:1 only on filler; real Office XML stays far below
MAX_ARCHIVE_ENTRIES = 10_000
CHUNK = 1024 * 1024


def _refuse(name: str, problem: str, code: str) -> ValidationError:
    return ValidationError(_("%(name)s: %(problem)s") % {"name": name, "problem": problem}, code=code)


def _check_kind_and_size(upload, name: str, ext: str, allowed: tuple[str, ...], max_bytes: int) -> None:
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
    if not upload.size:
        raise _refuse(name, _("the file is empty."), "empty")


def _scan(upload, pattern: re.Pattern) -> bool:
    """True when `pattern` occurs anywhere in the file, read in chunks (a match may span two chunks)."""
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b""):
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _outside_streams(data: bytes) -> bytes:
    """The PDF's own syntax: every stream's content (compressed pages, fonts, pictures) cut out."""
    return STREAM.sub(b"stream endstream", data)


def _active_content(reader: PdfReader) -> bool:
    """Walks every object reachable from the trailer (pypdf resolves object streams and #-escaped names)."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise PdfReadError("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in PDF_ACTIVE_KEYS:
                    return True
                if key in ("/S", "/Type", "/Subtype") and value in PDF_ACTIVE_VALUES:
                    return True
                if isinstance(value, (IndirectObject, DictionaryObject, ArrayObject)):
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if isinstance(v, (IndirectObject, DictionaryObject, ArrayObject)))
    return False


def pdf_check(upload, name: str) -> None:
    """A PDF is what pypdf parses as one (a header and an ending are not enough); it must not hold HTML a browser
    could sniff (anywhere outside its streams), nor scripts, launch actions or embedded files."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if MARKUP.search(data[:SNIFF_BYTES]) or MARKUP.search(_outside_streams(data)):
        raise _refuse(name, _("the PDF also holds a web page (HTML); such a file is refused."), "file_content")
    active = _refuse(
        name,
        _("the PDF holds scripts, launch actions or embedded files; print it to a plain PDF and upload that."),
        "file_content",
    )
    if PDF_ACTIVE.search(_outside_streams(data)):
        raise active
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(name, _("the PDF is protected by a password; upload it without the password."), "file_content")
        if "/Root" not in reader.trailer or len(reader.pages) < 1:
            raise PdfReadError("no pages")
        if _active_content(reader):
            raise active
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds (PdfReadError, ValueError, KeyError, RecursionError) on a broken file
        raise _refuse(
            name, _("this is not a readable PDF (damaged or only named .pdf); save it again."), "truncated"
        ) from None


def _image_check(upload, name: str, ext: str) -> None:
    upload.seek(0)
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import; a cut-off picture must still fail here.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS[ext]:
                raise _refuse(name, _("the picture is not really a %(ext)s.") % {"ext": ext.upper()}, "file_content")
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(name, _("the picture is too large in pixels."), "file_size")
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise _refuse(name, _("this is not a picture."), "file_content") from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(name, _("the picture is damaged or cut off; save or take it again."), "truncated") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _office_check(upload, name: str, ext: str) -> None:
    """Reads only the archive's directory: what it would unpack to is judged before anything is unpacked."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(name, _("the file is damaged or cut off; save it again."), "truncated") from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or OFFICE_PARTS[ext] not in names:
        raise _refuse(
            name,
            _("this is not a real %(ext)s document, only an archive with its name.") % {"ext": ext.upper()},
            "file_content",
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(name, _("the document holds macros; save it without macros."), "file_content")
    unpacked = sum(entry.file_size for entry in entries)
    dense = any(
        entry.file_size > CHUNK and entry.file_size > MAX_PACK_RATIO * max(entry.compress_size, 1) for entry in entries
    )
    if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_BYTES or dense:
        raise _refuse(
            name,
            _("the document would unpack to %(size)s (an archive bomb); it is refused.")
            % {"size": filesizeformat(unpacked)},
            "file_size",
        )


def _text_check(upload, name: str) -> None:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 8:
        raise _refuse(
            name, _("the file is saved as UTF-16 (Unicode text); save it as “CSV UTF-8” and upload it again."), "encoding"
        )
    if b"\x00" in head:
        raise _refuse(name, _("this is not a text file."), "file_content")


def validate_upload(upload, *, allowed: tuple[str, ...], max_bytes: int) -> str:
    """Returns the file's kind (its extension) or raises ValidationError saying what is wrong."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    _check_kind_and_size(upload, name, ext, allowed, max_bytes)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    signatures = SIGNATURES.get(ext)
    if signatures and not head.startswith(signatures):
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file: its content does not match its name.")
            % {"name": name, "ext": ext.upper()},
            code="file_content",
        )
    if ext == "pdf":
        pdf_check(upload, name)
    elif ext in IMAGE_FORMATS:
        if MARKUP.search(head):
            raise _refuse(name, _("the picture also holds a web page (HTML); such a file is refused."), "file_content")
        _image_check(upload, name, ext)
    elif ext in OFFICE_PARTS:
        _office_check(upload, name, ext)
    elif signatures is None:
        _text_check(upload, name)
    upload.seek(0)
    return ext


def pdf_bytes_check(data: bytes, name: str) -> None:
    """pdf_check for bytes already read (answer sheets, ID copies)."""
    pdf_check(io.BytesIO(data), name)

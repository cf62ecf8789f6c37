"""Answer-sheet photos checked by their content, never by their name: images are decoded and re-encoded,
PDFs must look like whole PDFs, anything else (HTML, SVG, scripts renamed .jpg) is refused."""

import io

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from attestation.core.uploads import pdf_bytes_check

try:
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - HEIC then is refused as an unknown image
    pass

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "HEIF": "jpg", "MPO": "jpg"}
MAX_PIXELS = 60_000_000
REFUSED_NAMES = (".svg", ".svgz", ".html", ".htm", ".xhtml", ".js", ".xml")


def _refuse(name: str, message: str, code: str) -> ValidationError:
    return ValidationError(_("%(name)s: %(problem)s") % {"name": name, "problem": message}, code=code)


def _pdf(data: bytes, name: str) -> tuple[bytes, str]:
    if b"%%EOF" not in data[-2048:]:
        raise _refuse(name, _("the PDF is incomplete (cut off); upload it again."), "truncated")
    pdf_bytes_check(data, name)  # no HTML for a browser to sniff, no scripts or launch actions
    return data, "pdf"


def _image(data: bytes, name: str) -> tuple[bytes, str]:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in IMAGE_FORMATS:
            raise _refuse(name, _("only JPEG, PNG, HEIC photos or PDF are accepted."), "file_type")
        if image.width * image.height > MAX_PIXELS:
            raise _refuse(name, _("the picture is too large in pixels."), "file_size")
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise _refuse(name, _("this is not a photo (JPEG, PNG, HEIC) or a PDF."), "file_content") from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(name, _("the picture is damaged or cut off; take it again."), "truncated") from None
    kind = IMAGE_FORMATS[image.format]
    image = ImageOps.exif_transpose(image)
    image.info.clear()  # Pillow would write the comment and XMP back: a page hidden there must not survive
    out = io.BytesIO()
    if kind == "png":
        image.save(out, "PNG", optimize=True)
    else:
        image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue(), kind  # re-encoded: no metadata, no trailing payload


def answer_sheet_clean(upload, *, max_bytes: int) -> tuple[bytes, str]:
    """Returns the bytes to store and their kind (jpg, png, pdf), or raises ValidationError saying what is wrong."""
    name = upload.name or "file"
    if name.lower().endswith(REFUSED_NAMES):
        raise _refuse(name, _("only JPEG, PNG, HEIC photos or PDF are accepted."), "file_type")
    if upload.size > max_bytes:
        raise _refuse(
            name,
            _("the file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            "file_size",
        )
    data = upload.read()
    if not data:
        raise _refuse(name, _("the file is empty."), "empty")
    if data.startswith(b"%PDF-"):
        return _pdf(data, name)
    return _image(data, name)

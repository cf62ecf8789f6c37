"""Hostile files, built in memory: each one something a careless validator would let through."""

import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

MB = 1024 * 1024
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def real_pdf(configure=None) -> bytes:
    """A whole one-page PDF written by pypdf; `configure(writer)` may add what a hostile file carries."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if configure:
        configure(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = real_pdf()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def claimed_size(name: str, size: int) -> UploadedFile:
    """A file Django received as `size` bytes (the validator must refuse it on the size alone, before reading)."""
    return UploadedFile(file=io.BytesIO(PDF), name=name, size=size)


def image(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


def jpeg_html_polyglot() -> bytes:
    """A JPEG that decodes as a picture and whose comment segment is a web page a sniffing browser would run."""
    jpeg = image("JPEG")
    comment = b"*/" + HTML + b"/*"
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def gif_js_polyglot() -> bytes:
    """Valid as a GIF header and as JavaScript: GIF89a=1;alert(1)."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//;"


def pdf_html_polyglot() -> bytes:
    return b"%PDF-1.4\n" + HTML + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_html_after_first_kilobyte() -> bytes:
    """A PDF header, a kilobyte of comment, a web page and an ending: what a first-kilobyte check accepted."""
    return b"%PDF-1.4\n%" + b"x" * 1100 + b"\n" + HTML + b"\n%%EOF\n"


def real_pdf_with_html_appended() -> bytes:
    return real_pdf() + b"\n" * 1024 + HTML + b"\n%%EOF\n"


def _script(writer) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("open"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})


def pdf_with_script() -> bytes:
    return real_pdf(_script)


def pdf_with_hidden_script() -> bytes:
    """The script's names #-escaped, so that no byte reads /JavaScript: only a parser sees it."""
    return real_pdf(_script).replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


def pdf_with_launch() -> bytes:
    def launch(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
        )

    return real_pdf(launch).replace(b"/Launch", b"/L#61unch")  # #-escaped: only a parser reads "Launch"


def pdf_with_embedded_file() -> bytes:
    return real_pdf(lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00"))


def truncated_jpeg() -> bytes:
    return image("JPEG", size=(300, 300))[:600]


def truncated_png() -> bytes:
    data = image("PNG", size=(300, 300))
    return data[: len(data) // 2]


def _office(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    return _office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def docx_with_macros() -> bytes:
    return _office(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro",
        }
    )


def zip_named_docx() -> bytes:
    return _office({"readme.txt": b"not a document"})


@functools.cache
def zip_bomb(kind: str, unpacked_mb: int = 300) -> bytes:
    """A real Office package with one part that inflates to `unpacked_mb` of zeros (about 300 KB packed)."""
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(main, b"<x/>")
        filler = "word/media/filler.xml" if kind == "docx" else "xl/sharedStrings.xml"
        zeros = b"\0" * MB
        with archive.open(filler, "w", force_zip64=True) as part:
            for _ in range(unpacked_mb):
                part.write(zeros)
    return out.getvalue()


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def utf16_csv(text: str) -> bytes:
    return text.encode("utf-16")

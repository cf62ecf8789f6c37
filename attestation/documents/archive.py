"""The one way documents leave the portal in bulk: a ZIP whose index.csv names each file, its kind and SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable

from attestation.core.downloads import csv_text


def zip_with_index(
    entries: Iterable[tuple[str, str, bytes, str]], *, note: str, each: Callable[[int], object] | None = None
) -> bytes:
    """A ZIP of (name, kind, data, note) entries plus index.csv with the columns file, kind, sha256 and `note`;
    the cells stay text in a spreadsheet (csv_text). `each(n)` is called after the n-th file (progress)."""
    buffer, index = io.BytesIO(), [["file", "kind", "sha256", note]]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (name, kind, data, cell) in enumerate(entries, start=1):
            archive.writestr(name, data)
            index.append([name, kind, hashlib.sha256(data).hexdigest(), cell])
            if each is not None:
                each(done)
        text = io.StringIO()
        csv.writer(text).writerows([[csv_text(cell) for cell in row] for row in index])
        archive.writestr("index.csv", text.getvalue())
    return buffer.getvalue()

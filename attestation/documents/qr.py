"""The QR code on a document: its verification link as a PNG data URI, the image qrcode.make draws.

qrcode chooses the symbol's mask (ISO/IEC 18004's penalty rules) by drawing the whole symbol once per each of the
eight masks in Python: about 80% of a code's time, and a sitting's documents job draws one code per document. Here
the symbol is drawn once, its data modules are unmasked, and the eight candidates are scored together on arrays with
qrcode's own rules (runs of five, 2×2 blocks, finder-like 1:1:3:1:1 patterns, dark share); qrcode then draws the
chosen mask as it would have. The PNG is byte-for-byte qrcode.make's (attestation/documents/tests/test_qr.py).
"""

import base64
import io
from functools import cache

import numpy as np
import qrcode
from qrcode import util

BOX_SIZE, BORDER = 4, 1
MASKS = range(8)
# 1:1:3:1:1 dark-light-dark-light-dark with four light modules after it, or before it
FINDER_LIKE = np.array([[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]], dtype=bool)


class _Symbol(qrcode.QRCode):
    """A QRCode that remembers which modules hold data (those still empty when qrcode maps the data in)."""

    data_modules: np.ndarray

    def map_data(self, data, mask_pattern):
        self.data_modules = np.array([[module is None for module in row] for row in self.modules])
        super().map_data(data, mask_pattern)


@cache
def _mask_modules(size: int) -> np.ndarray:
    """Where each mask inverts a module of a symbol of this size: (8, size, size), from qrcode's own mask rules."""
    return np.array([[[util.mask_func(p)(i, j) for j in range(size)] for i in range(size)] for p in MASKS])


def _runs(lines: np.ndarray) -> int:
    """Runs of five or more same-coloured modules along each line: 3 for five, one more for each module more."""
    count, size = lines.shape
    edges = np.ones((count, size + 1), dtype=bool)
    edges[:, 1:size] = lines[:, 1:] != lines[:, :-1]
    lengths = np.diff(np.flatnonzero(edges))  # a line's end and the next line's start are one apart: a run of 1
    return int((lengths[lengths >= 5] - 2).sum())


def _finder_like(candidates: np.ndarray) -> np.ndarray:
    """Windows of 11 modules along the rows that match a finder-like pattern, per candidate."""
    windows = candidates.shape[2] - 10
    found = np.zeros(candidates.shape[0], dtype=np.int64)
    for pattern in FINDER_LIKE:
        matches = np.ones((candidates.shape[0], candidates.shape[1], windows), dtype=bool)
        for k, dark in enumerate(pattern):
            matches &= candidates[:, :, k : k + windows] == dark
        found += matches.sum(axis=(1, 2))
    return found


def _penalties(candidates: np.ndarray) -> list[int]:
    """qrcode's lost points (util.lost_point) of each candidate symbol, computed on all of them at once."""
    size = candidates.shape[1]
    columns = candidates.transpose(0, 2, 1)
    top_left = candidates[:, :-1, :-1]
    blocks = (
        (top_left == candidates[:, 1:, :-1]) & (top_left == candidates[:, :-1, 1:]) & (top_left == candidates[:, 1:, 1:])
    ).sum(axis=(1, 2))
    finder_like = _finder_like(candidates) + _finder_like(columns)
    dark = candidates.sum(axis=(1, 2))
    return [
        _runs(candidates[p])
        + _runs(columns[p])
        + 3 * int(blocks[p])
        + 40 * int(finder_like[p])
        # the dark share, with util.lost_point's own float arithmetic: 10 for every full 5% away from half
        + int(abs(float(dark[p]) / (size**2) * 100 - 50) / 5) * 10
        for p in MASKS
    ]


def qr_image(text: str):
    """The QR code of `text` as qrcode.make(text, box_size=4, border=1) draws it, with the mask chosen on arrays."""
    symbol = _Symbol(box_size=BOX_SIZE, border=BORDER)
    symbol.add_data(text)
    symbol.best_fit()
    symbol.makeImpl(True, 0)  # a trial symbol, as qrcode's own choice draws them: mask 0, format modules light
    drawn, data = np.array(symbol.modules, dtype=bool), symbol.data_modules
    masks = _mask_modules(symbol.modules_count)
    unmasked = drawn ^ (data & masks[0])
    penalties = _penalties(np.where(data, unmasked ^ masks, drawn))
    symbol.makeImpl(False, penalties.index(min(penalties)))  # the first of the best, as qrcode picks
    return symbol.make_image()


def qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qr_image(text).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()

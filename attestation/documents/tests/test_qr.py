"""A document's QR code is the image qrcode.make draws, with its mask chosen on arrays instead of eight drawings."""

import base64
import io
import random
import uuid

import qrcode

from attestation.documents.qr import qr_data_uri


def drawn_by_qrcode(text: str) -> str:
    image = qrcode.make(text, box_size=4, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_verification_links_get_the_png_qrcode_draws_byte_for_byte():
    draw = random.Random(18)
    links = [f"https://portal.example.kz/verify/{uuid.UUID(int=draw.getrandbits(128))}/" for _ in range(150)]
    assert [qr_data_uri(link) for link in links] == [drawn_by_qrcode(link) for link in links]


def test_texts_of_every_length_and_kind_up_to_large_symbols_get_the_png_qrcode_draws():
    draw = random.Random(20)
    texts = ["".join(draw.choice("0123456789ABCXYZ abcqҚәӨ/:.-") for _ in range(draw.randint(1, 300))) for _ in range(80)]
    assert [qr_data_uri(text) for text in texts] == [drawn_by_qrcode(text) for text in texts]

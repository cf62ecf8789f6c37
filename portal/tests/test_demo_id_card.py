"""The demo's ID copies are readable: the secretary compares them with the student at identification."""

import io

from PIL import Image, ImageChops

from attestation.institutions.models import Student
from portal.demo import demo_id_card


def card(last_kk: str, last_ru: str) -> Image.Image:
    student = Student(
        iin="990101300017", last_name_kk=last_kk, first_name_kk="Әлия", last_name_ru=last_ru, first_name_ru="Алия"
    )
    return Image.open(io.BytesIO(demo_id_card(student).read())).convert("RGB")


def test_an_id_card_letters_kazakh_and_russian_names_so_that_different_names_look_different():
    # Same lengths, other letters: with a font that has no Cyrillic both are drawn as the same row of empty boxes.
    one, other = card("Құрманғали", "Курмангали"), card("Сәрсенбаев", "Сарсенбаев")
    assert ImageChops.difference(one, other).getbbox() is not None
    # and a Kazakh letter is not drawn as the plain letter it resembles
    assert ImageChops.difference(card("Ұлан", "Улан"), card("Улан", "Улан")).getbbox() is not None

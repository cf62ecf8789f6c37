"""WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported (the worker and the web
process both render PDFs); a cut-off picture uploaded afterwards must still be refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from attestation.core.uploads import validate_upload
from attestation.tests.security.hostile import truncated_jpeg, truncated_png


@pytest.mark.parametrize(("name", "make"), [("sheet.png", truncated_png), ("sheet.jpg", truncated_jpeg)])
def test_a_cut_off_picture_is_refused_even_after_weasyprint_was_imported(name, make):
    import weasyprint  # noqa: F401 — its import is what flips the flag

    before = ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it, whatever imported it first
    with pytest.raises(ValidationError, match="cut off"):
        validate_upload(SimpleUploadedFile(name, make()), allowed=("png", "jpg", "jpeg"), max_bytes=5_000_000)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is before  # the check leaves the process setting as it found it

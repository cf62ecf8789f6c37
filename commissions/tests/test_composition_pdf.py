import subprocess

import pytest
from django.urls import reverse

from attestation.documents.models import Document

pytestmark = pytest.mark.django_db


def test_composition_pdf_has_the_kazakh_letters_in_the_shipped_font(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world.chair.last_name, world.chair.first_name = "Әбілқасымов", "Ғалымжан Қуаныш Ңұөүһі"
    world.chair.save()
    client.force_login(world.secretary)
    response = client.get(reverse("commissions:composition_pdf", args=[world.commission.pk]) + "?lang=kk")
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF")
    document = Document.objects.get(kind="commission_composition")
    assert len(document.sha256) == 64
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Әбілқасымов" in text
    assert "ҢҰӨҮҺІ" in text.upper()

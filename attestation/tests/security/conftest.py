"""The security-and-faults suite speaks English and stores uploads in a throwaway folder."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English whatever the catalogues hold."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

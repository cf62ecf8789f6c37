import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """The tests read the messages in English (the source language), whatever an earlier test activated."""
    with translation.override("en"):
        yield

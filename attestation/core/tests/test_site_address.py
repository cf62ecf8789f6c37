"""The portal's configured address is what the QR codes of documents point to (issue 20), and production says when
it is missing; the demo says which address it uses."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.test import override_settings

from attestation.core.site import check_portal_base_url, portal_base_url
from commissions.papers.context import verify_url


@override_settings(PORTAL_BASE_URL="https://att.example.kz/")
def test_the_qr_codes_point_to_the_configured_address():
    assert portal_base_url() == "https://att.example.kz"
    paper_id = uuid.UUID(int=7)
    assert verify_url(paper_id) == f"https://att.example.kz/verify/{paper_id}/"


@override_settings(PORTAL_BASE_URL="", ALLOWED_HOSTS=["portal.example.kz"])
def test_production_is_told_when_the_address_is_not_set():
    (warning,) = check_portal_base_url(None)
    assert warning.id == "attestation.W001"
    assert "https://portal.example.kz" in warning.msg
    registered = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "attestation.W001" in [message.id for message in registered]


@override_settings(PORTAL_BASE_URL="https://att.example.kz")
def test_no_warning_once_the_address_is_set():
    assert check_portal_base_url(None) == []


def test_the_demo_sets_and_says_its_address():
    start = (Path(settings.BASE_DIR) / "scripts" / "start").read_text(encoding="utf-8")
    assert "export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://127.0.0.1:${PORT}}" in start
    assert "QR codes in documents point to: ${PORTAL_BASE_URL}" in start

"""The portal's public address: what the QR codes of documents and the links in e-mails point to."""

from django.conf import settings
from django.core import checks


def portal_base_url() -> str:
    """PORTAL_BASE_URL (the configured address), else https:// and the first allowed host."""
    return (settings.PORTAL_BASE_URL or f"https://{settings.ALLOWED_HOSTS[0]}").rstrip("/")


@checks.register(checks.Tags.security, deploy=True)
def check_portal_base_url(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """In production the documents' QR codes must point to the address people reach, not a guess from the hosts."""
    if settings.PORTAL_BASE_URL:
        return []
    return [
        checks.Warning(
            f"PORTAL_BASE_URL is not set: the QR codes of documents would point to {portal_base_url()}.",
            hint="Set PORTAL_BASE_URL to the portal's public address, e.g. https://portal.example.kz.",
            id="attestation.W001",
        )
    ]

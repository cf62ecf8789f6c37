"""Tokens the institution's own systems (Platonus, AIS "Univer", 1C) use to call the portal's API."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ_SCHEDULE = "read:schedule", _("read the schedule")
    READ_RESULTS = "read:results", _("read results with grades and letters")
    READ_DOCUMENTS = "read:documents", _("download signed protocols and grade sheets")
    READ_REPORTS = "read:reports", _("read the chair's report figures")
    WRITE_STRUCTURE = "write:structure", _("create and update programmes and groups")
    WRITE_STUDENTS = "write:students", _("create and update students")
    WRITE_TRANSCRIPTS = "write:transcripts", _("load transcripts (scores)")


class ApiToken(models.Model):
    """One credential of one institution: only a SHA-256 hash of the secret is kept; the secret is shown once."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. Platonus."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_by__isnull=False),
                name="api_token_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        return [str(Scope(s).label) for s in self.scopes if s in Scope.values]

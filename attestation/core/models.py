from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Append-only trail of every write that matters: who, what, when, before/after."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True)
    object_id = models.CharField(max_length=40, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb}"


class AuditSubject(models.Model):
    """Whom or what an event concerns beyond the row it touched (its commission, its student), found when the event
    is written from the `audit_subjects` paths the touched model declares (attestation/core/audit.py); the trail of
    a commission or of a student is read through these rows."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="subjects")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("subject of an audit event")
        verbose_name_plural = _("subjects of audit events")
        constraints = [
            models.UniqueConstraint(fields=["event", "content_type", "object_id"], name="audit_subject_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "event"], name="audit_subject_lookup")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.content_type_id}:{self.object_id}"


class Deadline(models.Model):
    """A due moment of some object; one beat sweep claims what is due, exactly once."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped (no longer relevant)")
        CANCELLED = "cancelled", _("cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        # The sweep asks for pending rows that are due: a partial index holds only the pending ones, by due moment.
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="deadline_pending_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="deadline_once_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M} {self.state}"


class Notification(models.Model):
    """A message on a person's page (and usually an e-mail beside it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class Heartbeat(models.Model):
    """The last moment a worker ran a periodic job: the health page's proof that beat and a worker live."""

    name = models.CharField(max_length=60, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"

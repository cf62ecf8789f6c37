from django.contrib.contenttypes.models import ContentType

from attestation.core.models import AuditEvent


def audit_record(*, actor, verb: str, obj=None, before: dict | None = None, after: dict | None = None) -> AuditEvent:
    """Appends one event to the audit trail; services call it inside their transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
    )

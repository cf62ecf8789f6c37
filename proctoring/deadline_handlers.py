"""What happens when a proctoring deadline comes due: a recording's keep-until day is over (R21)."""

from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from proctoring import services


@deadline_handler(services.RECORDING_EXPIRE)
def recording_expire(deadline: Deadline) -> bool:
    """Deletes the stored file or marks the link expired; skipped when the recording is gone or already expired."""
    return services.recording_expire(recording_pk=deadline.object_id, now=deadline.handled_at)

"""What applications and transcripts plug into the layers below it (ApplicationsConfig.ready() imports this)."""

from decimal import Decimal

from commissions.extensions import transcript_reader
from exams.applications.models import TranscriptRow


@transcript_reader
def final_control_scores(student_ids: list[int]) -> dict[int, list[tuple[Decimal, int]]]:
    """Each student's final-control scores with the discipline's credits, in one query (the honours verdict)."""
    rows: dict[int, list[tuple[Decimal, int]]] = {}
    for student_id, points, credits in TranscriptRow.objects.filter(
        student_id__in=student_ids, kind=TranscriptRow.Kind.FINAL
    ).values_list("student_id", "points", "discipline__credits"):
        rows.setdefault(student_id, []).append((points, credits))
    return rows

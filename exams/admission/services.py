"""Writes of the admission app: every one validates, runs in a transaction and records an audit event."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.uploads import validate_upload
from attestation.documents.language import programme_language
from attestation.documents.render import document_render
from attestation.grading.scale import INCOMPLETE, Scale
from attestation.institutions.models import Programme, Student
from attestation.institutions.policies import policy_for
from commissions.models import Sitting, Slot
from exams.admission import permissions
from exams.admission.models import (
    AdmissionDecision,
    AdmissionList,
    ClearanceLine,
    PlagiarismCertificate,
    PlagiarismCheck,
    Review,
    Source,
    Thesis,
    ThesisVersion,
)
from exams.admission.selectors import admission_table, student_admission_for

DOCUMENTS_DUE = "admission.documents_due"
PDF_DUE = "admission.pdf_due"
THESIS_TYPES = ("pdf", "docx")
THESIS_MAX_BYTES = 50 * 1024 * 1024
PAPER_MAX_BYTES = 10 * 1024 * 1024
DEFENSE = "defense"


def validate_paper(upload, *, allowed=THESIS_TYPES, max_bytes=THESIS_MAX_BYTES) -> str:
    """A PDF or DOCX judged by its content: a PDF must be whole, a DOCX a Word package, not a renamed file."""
    kind = validate_upload(upload, allowed=allowed, max_bytes=max_bytes)
    data = upload.read()
    upload.seek(0)
    if kind == "pdf" and b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("%(name)s: the PDF is incomplete (cut off); upload it again.") % {"name": upload.name}, code="file_content"
        )
    if kind == "docx" and b"word/" not in data:
        raise ValidationError(_("%(name)s is not a Word document.") % {"name": upload.name}, code="file_content")
    return kind


# ---------------------------------------------------------------- thesis


def defense_slot(student: Student):
    return (
        Slot.objects.filter(student=student, sitting__commission__form=DEFENSE)
        .select_related("sitting__commission")
        .order_by("starts_at")
        .first()
    )


def defense_start(student: Student) -> dt.datetime | None:
    """When the student defends: their slot, or before they are placed (only admitted students are, R16) the first
    sitting of a defense commission that examines their programme — the documents are due before admission."""
    slot = defense_slot(student)
    if slot is not None:
        return slot.starts_at
    sitting = (
        Sitting.objects.filter(commission__form=DEFENSE, commission__programmes=student.group.programme_id)
        .select_related("commission__institution")
        .order_by("date", "starts_at")
        .first()
    )
    if sitting is None:
        return None
    return sitting.bounds(sitting.commission.institution.time_zone)[0]


def due_moment(starts_at: dt.datetime, days_before: int, tz: str) -> dt.datetime:
    """The exclusive end of the day `days_before` calendar days before the defense, in the institution's zone."""
    local_day = starts_at.astimezone(ZoneInfo(tz)).date() - dt.timedelta(days=days_before)
    return dt.datetime.combine(local_day + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(tz))


def admission_due_dates(student: Student) -> tuple[dt.datetime, dt.datetime] | None:
    """(documents due, PDF due) before the student's defense, or None when no defense is scheduled yet."""
    starts_at = defense_start(student)
    if starts_at is None:
        return None
    policy, tz = policy_for(student.institution_id, on=starts_at.date()), student.institution.time_zone
    return (
        due_moment(starts_at, policy.documents_due_days_before, tz),
        due_moment(starts_at, policy.thesis_pdf_days_before, tz),
    )


def admission_deadlines_set(*, thesis: Thesis) -> bool:
    """Sets (or moves) the documents and PDF deadlines from the defense slot; False when there is no slot."""
    dates = admission_due_dates(thesis.student)
    if dates is None:
        return False
    deadline_set(obj=thesis, kind=DOCUMENTS_DUE, due_at=dates[0])
    deadline_set(obj=thesis, kind=PDF_DUE, due_at=dates[1])
    return True


@transaction.atomic
def admission_deadlines_refresh(*, actor, programme: Programme) -> int:
    """Re-reads the defense slots of a programme's theses and sets their deadlines."""
    theses = Thesis.objects.filter(student__group__programme=programme).select_related("student__institution")
    count = sum(admission_deadlines_set(thesis=t) for t in theses)
    audit_record(actor=actor, verb="admission.deadlines_refresh", obj=programme, after={"theses": count})
    return count


def _people_changed(thesis: Thesis, supervisor, reviewer) -> bool:
    return thesis.supervisor_id != supervisor.pk or thesis.reviewer_id != getattr(reviewer, "pk", None)


@transaction.atomic
def thesis_register(
    *,
    actor,
    student: Student,
    topic_kk: str,
    topic_ru: str,
    topic_en: str = "",
    language: str,
    supervisor,
    reviewer=None,
    reviewer_name: str = "",
    reviewer_degree: str = "",
    reviewer_workplace: str = "",
    reviewer_position: str = "",
) -> Thesis:
    """Creates or updates the student's thesis with its supervisor and reviewer, and sets its deadlines."""
    fields = {
        "topic_kk": topic_kk,
        "topic_ru": topic_ru,
        "topic_en": topic_en,
        "language": language,
        "supervisor": supervisor,
        "reviewer": reviewer,
        "reviewer_name": reviewer_name,
        "reviewer_degree": reviewer_degree,
        "reviewer_workplace": reviewer_workplace,
        "reviewer_position": reviewer_position,
    }
    if supervisor.pk == getattr(student, "user_id", None):
        raise ValidationError(_("A student cannot supervise their own thesis."))
    thesis = Thesis.objects.filter(student=student).first()
    if (
        thesis
        and _people_changed(thesis, supervisor, reviewer)
        and thesis.reviews.exists()
        and not (permissions.manages_department(actor, student.group.programme.department))
    ):
        raise ValidationError(_("The reviews are in: only the department can change the supervisor or the reviewer."))
    before = {"topic_kk": thesis.topic_kk, "supervisor": thesis.supervisor_id} if thesis else None
    thesis = thesis or Thesis(student=student)
    for name, value in fields.items():
        setattr(thesis, name, value)
    thesis.full_clean()
    thesis.save()
    admission_deadlines_set(thesis=thesis)
    audit_record(
        actor=actor,
        verb="thesis.register",
        obj=thesis,
        before=before,
        after={"topic_kk": topic_kk, "supervisor": supervisor.pk, "reviewer": getattr(reviewer, "pk", None)},
    )
    return thesis


@transaction.atomic
def thesis_version_upload(*, actor, thesis: Thesis, upload) -> ThesisVersion:
    """Keeps a new version of the thesis file (DOCX/PDF checked by content); earlier versions stay."""
    kind = validate_paper(upload)
    Thesis.objects.select_for_update().filter(pk=thesis.pk).first()
    number = (thesis.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ThesisVersion(thesis=thesis, number=number, kind=kind, uploaded_by=actor, uploaded_at=timezone.now())
    version.file.save(f"thesis.{kind}", upload, save=False)
    version.save()
    audit_record(actor=actor, verb="thesis.version_upload", obj=thesis, after={"number": number, "kind": kind})
    return version


@transaction.atomic
def thesis_formatting_check(*, actor, thesis: Thesis, passed: bool, comments: str = "") -> Thesis:
    """Records the department's check of the formatting requirements (003 2.4-2.5)."""
    if not thesis.versions.exists():
        raise ValidationError(_("There is no uploaded thesis to check yet."))
    if not passed and not comments.strip():
        raise ValidationError({"comments": _("Say what must be corrected.")})
    before = {"passed": thesis.formatting_passed, "comments": thesis.formatting_comments}
    thesis.formatting_passed, thesis.formatting_comments = passed, comments
    thesis.formatting_checked_by, thesis.formatting_checked_at = actor, timezone.now()
    thesis.save(update_fields=["formatting_passed", "formatting_comments", "formatting_checked_by", "formatting_checked_at"])
    audit_record(
        actor=actor,
        verb="thesis.formatting_check",
        obj=thesis,
        before=before,
        after={"passed": passed, "comments": comments},
    )
    return thesis


# ---------------------------------------------------------------- plagiarism


def _not_admitted_with_f(*, actor, student: Student, reason: str) -> AdmissionDecision:
    before = AdmissionDecision.objects.filter(student=student).values("outcome", "final_grade").first()
    decision, _created = AdmissionDecision.objects.update_or_create(
        student=student,
        defaults={
            "outcome": AdmissionDecision.Outcome.NOT_ADMITTED,
            "final_grade": "F",
            "reason": reason,
            "admission_list": None,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        verb="admission.not_admitted_f",
        obj=decision,
        before=before,
        after={"outcome": decision.outcome, "final_grade": "F", "reason": reason},
    )
    return decision


@transaction.atomic
def plagiarism_check_record(
    *,
    actor,
    thesis: Thesis,
    checked_on: dt.date,
    similarity: Decimal,
    originality: Decimal,
    passed: bool,
    paid: bool = False,
    report=None,
    system_name: str = "Антиплагиат.ВУЗ",
) -> PlagiarismCheck:
    """Records a check (R17). The first is free; the policy's maximum is enforced; failing the last allowed
    check makes the student not admitted with F for final attestation."""
    Thesis.objects.select_for_update().filter(pk=thesis.pk).first()
    checks = list(thesis.plagiarism_checks.order_by("attempt_number"))
    limit = min(policy_for(thesis.student.institution_id, on=checked_on).plagiarism_max_checks, 2)
    if any(c.passed for c in checks):
        raise ValidationError(_("The thesis has already passed the plagiarism check."))
    if len(checks) >= limit:
        raise ValidationError(_("The thesis has had %(n)s checks, the most the policy allows.") % {"n": len(checks)})
    attempt = len(checks) + 1
    if attempt == 1 and paid:
        raise ValidationError({"paid": _("The first check is free.")})
    if report is not None:
        validate_paper(report, allowed=("pdf",), max_bytes=PAPER_MAX_BYTES)
    check = PlagiarismCheck(
        thesis=thesis,
        attempt_number=attempt,
        system_name=system_name,
        checked_on=checked_on,
        similarity_percent=similarity,
        originality_percent=originality,
        passed=passed,
        paid=paid,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    check.full_clean(exclude=["report"])
    if report is not None:
        check.report.save(f"report-{thesis.pk}-{attempt}.pdf", report, save=False)
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError as exc:
        raise ValidationError(_("This check was already recorded by someone else; reload the page.")) from exc
    audit_record(
        actor=actor,
        verb="plagiarism.record",
        obj=thesis,
        after={"attempt": attempt, "passed": passed, "similarity": str(similarity), "paid": paid},
    )
    if not passed and attempt == limit:
        _not_admitted_with_f(
            actor=actor,
            student=thesis.student,
            reason=_("Failed the last allowed plagiarism check (No. %(n)s): not admitted, F for final attestation.")
            % {"n": attempt},
        )
    return check


@transaction.atomic
def certificate_upload(*, actor, thesis: Thesis, upload) -> PlagiarismCertificate:
    """The supervisor's certificate of the plagiarism check; the department may upload one that came by e-mail."""
    if not permissions.can_submit_supervisor_review(actor, thesis):
        raise PermissionDenied
    validate_paper(upload, allowed=("pdf",), max_bytes=PAPER_MAX_BYTES)
    source = Source.PORTAL if permissions.is_supervisor(actor, thesis) else Source.EMAIL
    certificate = PlagiarismCertificate.objects.filter(thesis=thesis).first() or PlagiarismCertificate(thesis=thesis)
    certificate.source, certificate.submitted_by, certificate.submitted_at = source, actor, timezone.now()
    certificate.file.save(f"certificate-{thesis.pk}.pdf", upload, save=False)
    certificate.save()
    audit_record(actor=actor, verb="plagiarism.certificate", obj=thesis, after={"source": source})
    return certificate


# ---------------------------------------------------------------- reviews


def _review_source(actor, thesis: Thesis, kind: str) -> str:
    own = permissions.is_supervisor if kind == Review.Kind.SUPERVISOR else permissions.is_reviewer
    if own(actor, thesis):
        return Source.PORTAL
    if permissions.manages_department(actor, thesis.student.group.programme.department):
        return Source.EMAIL
    raise PermissionDenied


@transaction.atomic
def review_submit(
    *, actor, thesis: Thesis, kind: str, conclusion: str, letter: str = "", text: str = "", upload=None
) -> Review:
    """The supervisor's or the external review (R16). The thesis's own supervisor/reviewer submits in the portal;
    the department uploads one that arrived by e-mail, marked as such. Resubmission replaces the review."""
    source = _review_source(actor, thesis, kind)
    if kind == Review.Kind.EXTERNAL:
        if not letter or letter.upper() == INCOMPLETE:
            raise ValidationError({"letter": _("The external review gives a letter grade.")})
        letter = Scale.for_institution(thesis.student.institution_id).from_letter(letter).letter
    else:
        letter = ""
    if not text.strip() and upload is None:
        raise ValidationError(_("Write the review or attach its file."))
    review = Review.objects.filter(thesis=thesis, kind=kind).first()
    before = {"conclusion": review.conclusion, "letter": review.letter} if review else None
    review = review or Review(thesis=thesis, kind=kind)
    review.conclusion, review.letter, review.text, review.source = conclusion, letter, text, source
    review.submitted_by, review.submitted_at = actor, timezone.now()
    if upload is not None:
        validate_paper(upload, max_bytes=PAPER_MAX_BYTES)
        review.file.save(f"review-{kind}-{thesis.pk}.{upload.name.rsplit('.', 1)[-1].lower()}", upload, save=False)
    review.full_clean(exclude=["file"])
    review.save()
    audit_record(
        actor=actor,
        verb=f"review.{kind}",
        obj=thesis,
        before=before,
        after={"conclusion": conclusion, "letter": letter, "source": source},
    )
    return review


# ---------------------------------------------------------------- clearance


@transaction.atomic
def clearance_mark(*, actor, student: Student, line: str, cleared: bool, note: str = "") -> ClearanceLine:
    """Marks one line of the exit sheet (R18) cleared or not, by the head, the administrator or the assigned office."""
    if line not in ClearanceLine.Line.values:
        raise ValidationError(_("Unknown clearance line."))
    if not permissions.can_mark_clearance(actor, student, line):
        raise PermissionDenied
    if not cleared and not note.strip():
        raise ValidationError({"note": _("Say what is still owed.")})
    existing = ClearanceLine.objects.filter(student=student, line=line).first()
    before = {"cleared": existing.cleared, "note": existing.note} if existing else None
    row, _created = ClearanceLine.objects.update_or_create(
        student=student,
        line=line,
        defaults={"cleared": cleared, "note": note, "marked_by": actor, "marked_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        verb="clearance.mark",
        obj=student,
        before=before,
        after={"line": line, "cleared": cleared, "note": note},
    )
    return row


def clearance_complete(student: Student) -> bool:
    """The exit sheet is complete only when every line is marked cleared."""
    cleared = set(ClearanceLine.objects.filter(student=student, cleared=True).values_list("line", flat=True))
    return cleared == set(ClearanceLine.Line.values)


# ---------------------------------------------------------------- the admission decision


@transaction.atomic
def admission_list_admit(*, actor, programme: Programme, student_ids: list[int]) -> AdmissionList:
    """The head admits a list of the programme's students (R4, 000 §70); only fully green students may be on it.
    The order on admission is rendered in the programme's language."""
    if not permissions.manages_department(actor, programme.department):
        raise PermissionDenied
    rows = {row.student.pk: row for row in admission_table(programme=programme)}
    chosen = [rows[pk] for pk in student_ids if pk in rows]
    if not chosen or len(chosen) != len(set(student_ids)):
        raise ValidationError(_("Choose students of this programme to admit."))
    red = [str(row.student) for row in chosen if not row.green or row.admitted]
    if red:
        raise ValidationError(
            _("Not every condition is met (or already admitted) for: %(names)s.") % {"names": ", ".join(red)}
        )
    now = timezone.now()
    admission_list = AdmissionList.objects.create(programme=programme, admitted_by=actor, admitted_at=now)
    for row in chosen:
        AdmissionDecision.objects.update_or_create(
            student=row.student,
            defaults={
                "outcome": AdmissionDecision.Outcome.ADMITTED,
                "final_grade": "",
                "reason": "",
                "admission_list": admission_list,
                "decided_by": actor,
                "decided_at": now,
            },
        )
    audit_record(
        actor=actor, verb="admission.admit", obj=admission_list, after={"students": [row.student.pk for row in chosen]}
    )
    admission_order_render(actor=actor, admission_list=admission_list)
    return admission_list


def admission_order_render(*, actor, admission_list: AdmissionList):
    """Renders the order on admission (PDF) in the programme's language and attaches it to the list."""
    programme = admission_list.programme
    decisions = admission_list.decisions.select_related("student__group", "student__thesis__supervisor").order_by(
        "student__group__name", "student__last_name_kk", "student__first_name_kk"
    )
    language = programme_language(programme)
    document = document_render(
        kind="admission_order",
        template="documents/admission_order.html",
        language=language,
        context={
            "admission_list": admission_list,
            "programme": programme,
            "decisions": list(decisions),
            "institution": programme.department.institution,
            "department": programme.department,
        },
        about=admission_list,
        actor=actor,
        filename=f"admission-order-{programme.code}-{admission_list.pk}.pdf",
    )
    admission_list.order = document
    admission_list.save(update_fields=["order"])
    return document


# ---------------------------------------------------------------- for the schedule


def admission_refusal(*, student: Student, commission) -> str | None:
    """Why the student may not be scheduled for this commission's defense, or None (admitted, or not a defense).

    Plugged into commissions.services.slot_create as a scheduling rule (exams.admission.hooks): only admitted
    students can be scheduled for a defense (R16).
    """
    if commission.form != DEFENSE:
        return None
    decision = AdmissionDecision.objects.filter(student=student).first()
    if decision is not None and decision.outcome == AdmissionDecision.Outcome.ADMITTED:
        return None
    if decision is not None:
        return _("%(student)s is not admitted to the defense: %(reason)s") % {
            "student": student,
            "reason": decision.reason or decision.get_outcome_display(),
        }

    missing = student_admission_for(student=student).missing
    if missing:
        return _("%(student)s is not admitted to the defense yet. Missing: %(missing)s.") % {
            "student": student,
            "missing": "; ".join(f"{c.label} ({c.detail})" if c.detail else c.label for c in missing),
        }
    return _("%(student)s meets every condition but the department head has not admitted the list yet.") % {
        "student": student
    }

"""Writes of the year end: transfers to the registrar and the archive, the diploma request, accommodations."""

import csv
import datetime as dt
import hashlib
import io
import zipfile
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.notifications import notify
from attestation.institutions.models import DepartmentHead, Student
from commissions.models import Commission, Membership, Paper
from commissions.papers.signing import current_bytes, paper_fully_signed
from commissions.services import policy_for
from exams.yearend import diploma, selectors
from exams.yearend.models import Accommodation, DiplomaRequest, Transfer, TransferItem
from exams.yearend.summary import summary_render
from proctoring.models import IdCopy

PORTFOLIO_LATE = "yearend_portfolio_late"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def heads_of(commission: Commission) -> list:
    heads = DepartmentHead.objects.filter(department__programmes__commissions=commission).select_related("user")
    return list({h.user_id: h.user for h in heads}.values())


# --- accommodations (000 §7) ---------------------------------------------------------------------------------------

@transaction.atomic
def accommodation_set(*, actor, student: Student, extra_minutes: int = 0, extra_percent: int = 0,
                      written_instead_of_oral: bool = False, device_loan: str = "", note: str = "") -> Accommodation:
    """Records (or changes) a student's accommodation; the sitting's timers and forms honour it from now on."""
    accommodation = Accommodation.objects.filter(student=student).first() or Accommodation(student=student)
    before = None if accommodation.pk is None else {
        "extra_minutes": accommodation.extra_minutes, "extra_percent": accommodation.extra_percent,
        "written_instead_of_oral": accommodation.written_instead_of_oral}
    accommodation.extra_minutes, accommodation.extra_percent = extra_minutes, extra_percent
    accommodation.written_instead_of_oral, accommodation.device_loan = written_instead_of_oral, device_loan
    accommodation.note, accommodation.recorded_by, accommodation.recorded_at = note, actor, timezone.now()
    accommodation.full_clean()
    accommodation.save()
    audit_record(actor=actor, verb="accommodation.set", obj=accommodation, before=before, after={
        "extra_minutes": extra_minutes, "extra_percent": extra_percent,
        "written_instead_of_oral": written_instead_of_oral, "device_loan": device_loan})
    return accommodation


@transaction.atomic
def accommodation_remove(*, actor, accommodation: Accommodation) -> None:
    audit_record(actor=actor, verb="accommodation.remove", obj=accommodation,
                 before={"student": accommodation.student_id})
    accommodation.delete()


# --- transfers out of the department (002 step 5, R37) -------------------------------------------------------------

def _paper_name(paper: Paper) -> str:
    day = f"-{paper.sitting.date:%Y%m%d}" if paper.sitting_id else ""
    who = f"-{paper.slot.student.iin}" if paper.slot_id else ""
    return f"{paper.kind}{day}{who}-{paper.pk.hex[:8]}.pdf"


def _paper_entries(papers: list[Paper]) -> list[tuple[TransferItem, bytes]]:
    unsigned = [_paper_name(p) for p in papers if not paper_fully_signed(p)]
    if unsigned:
        raise ValidationError(_("Not every document is signed yet: %(names)s.") % {"names": ", ".join(unsigned)},
                              code="unsigned")
    return [(TransferItem(kind=p.kind, name=_paper_name(p), paper=p, student=p.slot.student if p.slot_id else None),
             current_bytes(p)) for p in papers]


def newest_id_copies(students: list[Student]) -> dict[int, IdCopy]:
    copies: dict[int, IdCopy] = {}
    for copy in IdCopy.objects.filter(student__in=students).order_by("student_id", "-uploaded_at"):
        copies.setdefault(copy.student_id, copy)
    return copies


def _with_copies(students: list[Student]) -> list[diploma.Graduate]:
    copies = newest_id_copies(students)
    missing = [s.full_name for s in students if s.pk not in copies]
    if missing:
        raise ValidationError(_("These graduates have no ID copy: %(names)s.") % {"names": ", ".join(missing)},
                              code="no_id_copy")
    return [diploma.Graduate(s, copies[s.pk]) for s in students]


def _copy_entries(graduates: list[diploma.Graduate]) -> list[tuple[TransferItem, bytes]]:
    entries = []
    for graduate in graduates:
        with graduate.id_copy.file.open("rb") as handle:
            data = handle.read()
        entries.append((TransferItem(kind=TransferItem.Kind.ID_COPY, name=graduate.copy_name,
                                     id_copy=graduate.id_copy, student=graduate.student), data))
    return entries


def _summary_entries(*, actor, commission: Commission) -> list[tuple[TransferItem, bytes]]:
    """Each examined student's summary vedomost, rendered now in the language of the student's group."""
    students = (Student.objects.filter(slots__sitting__commission=commission, slots__result__isnull=False)
                .select_related("group__programme", "institution").distinct().order_by("last_name_kk", "pk"))
    entries = []
    for student in students:
        language = student.group.study_language if student.group.study_language in selectors.PDF_LANGUAGES else "ru"
        document = summary_render(actor=actor, student=student, commission=commission, language=language)
        with document.file.open("rb") as handle:
            data = handle.read()
        entries.append((TransferItem(kind=TransferItem.Kind.SUMMARY, name=f"summary/{student.iin}.pdf",
                                     document=document, student=student), data))
    return entries


def _pack(entries: list[tuple[TransferItem, bytes]]) -> bytes:
    """The ZIP that leaves the department, with index.csv naming each file, its kind and SHA-256."""
    buffer, index = io.BytesIO(), [["file", "kind", "sha256", "student_iin"]]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in entries:
            item.sha256 = _sha(data)
            archive.writestr(item.name, data)
            index.append([item.name, item.kind, item.sha256, item.student.iin if item.student else ""])
        text = io.StringIO()
        csv.writer(text).writerows(index)
        archive.writestr("index.csv", text.getvalue())
    return buffer.getvalue()


def _entries(*, actor, commission: Commission, recipient: str) -> list[tuple[TransferItem, bytes]]:
    if recipient == Transfer.Recipient.REGISTRAR:
        papers = selectors.latest_papers(commission=commission, kinds=selectors.REGISTRAR_PAPERS)
    else:
        papers = selectors.latest_papers(commission=commission, kinds=selectors.ARCHIVE_PAPERS)
    if not any(p.kind == Paper.Kind.VEDOMOST for p in papers):
        raise ValidationError(_("The commission has no grade sheet (vedomost) to send yet."), code="nothing")
    entries = _paper_entries(papers)
    if recipient == Transfer.Recipient.REGISTRAR:
        return entries + _copy_entries(_with_copies(selectors.graduates(commission=commission)))
    return entries + _summary_entries(actor=actor, commission=commission)


@transaction.atomic
def transfer_send(*, actor, commission: Commission, recipient: str, addressee: str) -> Transfer:
    """Packs what the registrar (signed vedomosti, degree protocols, ID copies) or the archive (protocols,
    vedomosti, summary vedomosti) receives, and records it: every file with its SHA-256, to whom, when, by whom."""
    if recipient not in Transfer.Recipient.values:
        raise ValidationError(_("Unknown recipient."), code="recipient")
    if not (addressee or "").strip():
        raise ValidationError({"addressee": _("Say to whom the documents are sent.")})
    entries = _entries(actor=actor, commission=commission, recipient=recipient)
    data = _pack(entries)
    transfer = Transfer(commission=commission, recipient=recipient, addressee=addressee.strip()[:255],
                        due_on=selectors.transfer_due_on(commission), sha256=_sha(data), sent_by=actor,
                        sent_at=timezone.now())
    transfer.file.save(f"{recipient}-{commission.pk}-{transfer.sent_at:%Y%m%d%H%M%S}.zip", ContentFile(data),
                       save=False)
    transfer.save()
    for item, _data in entries:
        item.transfer = transfer
    TransferItem.objects.bulk_create([item for item, _data in entries])
    audit_record(actor=actor, verb="yearend.transfer", obj=transfer, after={
        "recipient": recipient, "addressee": transfer.addressee, "sha256": transfer.sha256,
        "files": [[item.name, item.sha256] for item, _data in entries]})
    return transfer


# --- the diploma request and the portfolio (002 step 5, R39) --------------------------------------------------------

def portfolio_due_moment(request: DiplomaRequest) -> dt.datetime:
    """The portfolio is late from the day after its due day, in the institution's time zone."""
    zone = ZoneInfo(request.commission.institution.time_zone)
    return dt.datetime.combine(request.portfolio_due_on + dt.timedelta(days=1), dt.time(0, 0), zone)


@transaction.atomic
def diploma_request_create(*, actor, commission: Commission, order_number: str,
                           order_date: dt.date) -> DiplomaRequest:
    """Generates the request for diplomas and transcripts (DOCX with the ID copies, and a ZIP) in the programme's
    language, listing the graduates alphabetically; sets the portfolio's deadline (R39: policy days after the order)."""
    language = selectors.commission_language(commission)
    graduates = _with_copies(selectors.graduates(commission=commission, language=language))
    if not graduates:
        raise ValidationError(_("The commission has no graduates yet."), code="no_graduates")
    due_on = order_date + dt.timedelta(days=policy_for(commission).portfolio_days)
    request = DiplomaRequest(commission=commission, order_number=order_number.strip(), order_date=order_date,
                             language=language, graduates=len(graduates), portfolio_due_on=due_on,
                             created_by=actor, created_at=timezone.now())
    heads = heads_of(commission)
    docx = diploma.request_docx(request=request, commission=commission, graduates=graduates,
                                head_name=heads[0].display_name if heads else "")
    name = f"diploma-request-{commission.pk}.docx"
    request.sha256 = _sha(docx)
    request.docx.save(name, ContentFile(docx), save=False)
    request.bundle.save(f"diploma-request-{commission.pk}.zip",
                        ContentFile(diploma.request_bundle(docx=docx, docx_name=name, graduates=graduates)), save=False)
    request.full_clean(exclude=["commission"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise ValidationError(_("The diploma request of this commission is already generated."),
                              code="exists") from exc
    deadline_set(obj=request, kind=PORTFOLIO_LATE, due_at=portfolio_due_moment(request))
    audit_record(actor=actor, verb="yearend.diploma_request", obj=request, after={
        "order": request.order_number, "order_date": str(order_date), "graduates": [g.student.pk for g in graduates],
        "sha256": request.sha256})
    return request


def portfolio_late_flag(*, request_pk: int, now: dt.datetime) -> bool:
    """Flags the portfolio late once (a conditional update) and tells the heads and the secretary; False if it
    had arrived or was already flagged."""
    request = DiplomaRequest.objects.select_related("commission").get(pk=request_pk)
    if selectors.portfolio_arrived_at(request.commission_id) is not None:
        return False
    flagged = DiplomaRequest.objects.filter(pk=request_pk, portfolio_late_at__isnull=True).update(
        portfolio_late_at=now)
    if flagged != 1:
        return False
    secretaries = [m.user for m in Membership.objects.filter(commission=request.commission,
                                                             role=Membership.Role.SECRETARY).select_related("user")]
    for user in {u.pk: u for u in heads_of(request.commission) + secretaries}.values():
        notify(user=user, kind=PORTFOLIO_LATE, template="yearend/email/portfolio_late",
               context={"request": request, "commission": request.commission})
    audit_record(actor=None, verb="yearend.portfolio_late", obj=request, after={"at": str(now)})
    return True

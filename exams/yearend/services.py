"""Writes of the year end: transfers to the registrar and the archive, the diploma request, accommodations."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.jobs import job_claim, job_fail, job_queue
from attestation.core.notifications import notify
from attestation.documents.archive import zip_with_index
from attestation.documents.language import document_language, programme_language
from attestation.institutions.models import DepartmentHead, Registrar, Student
from attestation.institutions.policies import policy_for
from commissions.models import Commission, Membership, Paper
from commissions.papers.selectors import latest_papers
from commissions.papers.signing import current_bytes, paper_fully_signed
from exams.admission.models import ClearanceLine
from exams.models import Attempt
from exams.services import attempt_kind
from exams.yearend import diploma, selectors
from exams.yearend.models import Accommodation, DiplomaRequest, Transfer, TransferItem
from exams.yearend.summary import summary_render
from proctoring.models import IdCopy

PORTFOLIO_LATE = "yearend_portfolio_late"
PACK_TASK = "exams.yearend.tasks.transfer_pack_task"  # exams/yearend/tasks.py, which calls transfer_pack


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def heads_of(commission: Commission) -> list:
    heads = DepartmentHead.objects.filter(department__programmes__commissions=commission).select_related("user")
    return list({h.user_id: h.user for h in heads}.values())


# --- accommodations (000 §7) ---------------------------------------------------------------------------------------


@transaction.atomic
def accommodation_set(
    *,
    actor,
    student: Student,
    extra_minutes: int = 0,
    extra_percent: int = 0,
    written_instead_of_oral: bool = False,
    device_loan: str = "",
    note: str = "",
) -> Accommodation:
    """Records (or changes) a student's accommodation; the sitting's timers and forms honour it from now on."""
    accommodation = Accommodation.objects.filter(student=student).first() or Accommodation(student=student)
    before = (
        None
        if accommodation.pk is None
        else {
            "extra_minutes": accommodation.extra_minutes,
            "extra_percent": accommodation.extra_percent,
            "written_instead_of_oral": accommodation.written_instead_of_oral,
        }
    )
    accommodation.extra_minutes, accommodation.extra_percent = extra_minutes, extra_percent
    accommodation.written_instead_of_oral, accommodation.device_loan = written_instead_of_oral, device_loan
    accommodation.note, accommodation.recorded_by, accommodation.recorded_at = note, actor, timezone.now()
    accommodation.full_clean()
    accommodation.save()
    _attempts_follow(student)
    audit_record(
        actor=actor,
        verb="accommodation.set",
        obj=accommodation,
        before=before,
        after={
            "extra_minutes": extra_minutes,
            "extra_percent": extra_percent,
            "written_instead_of_oral": written_instead_of_oral,
            "device_loan": device_loan,
        },
    )
    return accommodation


@transaction.atomic
def accommodation_remove(*, actor, accommodation: Accommodation) -> None:
    audit_record(actor=actor, verb="accommodation.remove", obj=accommodation, before={"student": accommodation.student_id})
    student = accommodation.student
    accommodation.delete()
    _attempts_follow(student)


def _attempts_follow(student: Student) -> None:
    """An attempt created before the accommodation (the console opens them early) takes the form it now gives,
    as long as the student has not drawn a ticket."""
    waiting = (
        Attempt.objects.filter(
            slot__student=student,
            started_at__isnull=True,
            state__in=[Attempt.State.SCHEDULED, Attempt.State.IDENTIFIED, Attempt.State.ADMITTED],
        )
        .exclude(kind=Attempt.Kind.DEFENSE)
        .select_related("slot__sitting__commission")
    )
    for attempt in waiting:
        kind = attempt_kind(attempt.slot.sitting.commission, student.pk)
        if kind != attempt.kind:
            Attempt.objects.filter(pk=attempt.pk, started_at__isnull=True).update(kind=kind)
            audit_record(
                actor=None,
                verb="attempt.kind",
                obj=attempt,
                before={"kind": attempt.kind},
                after={"kind": kind, "why": "accommodation"},
            )


# --- transfers out of the department (002 step 5, R37) -------------------------------------------------------------


def _paper_name(paper: Paper) -> str:
    day = f"-{paper.sitting.date:%Y%m%d}" if paper.sitting else ""
    who = f"-{paper.slot.student.iin}" if paper.slot else ""
    return f"{paper.kind}{day}{who}-{paper.pk.hex[:8]}.pdf"


def _papers(commission: Commission, recipient: str) -> list[Paper]:
    """The newest papers the recipient gets; refused while there is no vedomost or a paper is unsigned."""
    kinds = selectors.REGISTRAR_PAPERS if recipient == Transfer.Recipient.REGISTRAR else selectors.ARCHIVE_PAPERS
    papers = sorted(
        latest_papers(commission=commission, kinds=kinds),
        key=lambda p: (p.kind, p.sitting.date if p.sitting else dt.date.min, p.slot_id or 0),
    )
    if not any(p.kind == Paper.Kind.VEDOMOST for p in papers):
        raise ValidationError(_("The commission has no grade sheet (vedomost) to send yet."), code="nothing")
    unsigned = [_paper_name(p) for p in papers if not paper_fully_signed(p)]
    if unsigned:
        raise ValidationError(
            _("Not every document is signed yet: %(names)s.") % {"names": ", ".join(unsigned)}, code="unsigned"
        )
    return papers


def _paper_entries(papers: list[Paper]) -> list[tuple[TransferItem, bytes]]:
    return [
        (
            TransferItem(kind=p.kind, name=_paper_name(p), paper=p, student=p.slot.student if p.slot else None),
            current_bytes(p),
        )
        for p in papers
    ]


def newest_id_copies(students: list[Student]) -> dict[int, IdCopy]:
    copies: dict[int, IdCopy] = {}
    for copy in IdCopy.objects.filter(student__in=students).order_by("student_id", "-uploaded_at"):
        copies.setdefault(copy.student_id, copy)
    return copies


def _cleared(students: list[Student]) -> None:
    """R18: diplomas go only to graduates whose exit (clearance) sheet has no open debt; each debt is named."""
    debts = ClearanceLine.objects.filter(student__in=students, cleared=False).select_related("student")
    named = [
        f"{line.student.full_name} — {line.get_line_display()}" + (f" ({line.note})" if line.note else "")
        for line in debts.order_by("student_id", "line")
    ]
    if named:
        raise ValidationError(
            _("These graduates have an open debt on their exit (clearance) sheet: %(debts)s.") % {"debts": "; ".join(named)},
            code="clearance",
        )


def _with_copies(students: list[Student]) -> list[diploma.Graduate]:
    copies = newest_id_copies(students)
    missing = [s.full_name for s in students if s.pk not in copies]
    if missing:
        raise ValidationError(
            _("These graduates have no ID copy: %(names)s.") % {"names": ", ".join(missing)}, code="no_id_copy"
        )
    return [diploma.Graduate(s, copies[s.pk]) for s in students]


def _copy_entries(graduates: list[diploma.Graduate]) -> list[tuple[TransferItem, bytes]]:
    entries = []
    for graduate in graduates:
        entries.append(
            (
                TransferItem(
                    kind=TransferItem.Kind.ID_COPY,
                    name=graduate.copy_name,
                    id_copy=graduate.id_copy,
                    student=graduate.student,
                ),
                diploma.file_bytes(graduate.id_copy.file),
            )
        )
    return entries


def _summary_entries(*, actor, commission: Commission) -> list[tuple[TransferItem, bytes]]:
    """Each examined student's summary vedomost, rendered now in the language of the student's group."""
    students = (
        Student.objects.filter(slots__sitting__commission=commission, slots__result__isnull=False)
        .select_related("group__programme", "institution")
        .distinct()
        .order_by("last_name_kk", "pk")
    )
    entries = []
    for student in students:
        language = document_language(student.group.study_language)
        document = summary_render(actor=actor, student=student, commission=commission, language=language)
        entries.append(
            (
                TransferItem(
                    kind=TransferItem.Kind.SUMMARY, name=f"summary/{student.iin}.pdf", document=document, student=student
                ),
                diploma.file_bytes(document.file),
            )
        )
    return entries


def _pack(entries: list[tuple[TransferItem, bytes]]) -> bytes:
    """The ZIP that leaves the department, with index.csv naming each file, its kind, SHA-256 and student's IIN."""
    for item, data in entries:
        item.sha256 = _sha(data)
    return zip_with_index(
        ((item.name, item.kind, data, item.student.iin if item.student else "") for item, data in entries),
        note="student_iin",
    )


def transfer_check(*, commission: Commission, recipient: str) -> None:
    """What can be told at once: the papers exist and are signed; the registrar's graduates have ID copies."""
    _papers(commission, recipient)
    if recipient == Transfer.Recipient.REGISTRAR:
        _with_copies(selectors.graduates(commission=commission))


@transaction.atomic
def transfer_request(*, actor, commission: Commission, recipient: str, addressee: str, queue: bool = True) -> Transfer:
    """Records the transfer to the registrar or the archive and queues its packing in the worker (the archive's
    summary vedomosti are rendered there); refused at once when a paper is unsigned or an ID copy missing."""
    if recipient not in Transfer.Recipient.values:
        raise ValidationError(_("Unknown recipient."), code="recipient")
    if not (addressee or "").strip():
        raise ValidationError({"addressee": _("Say to whom the documents are sent.")})
    transfer_check(commission=commission, recipient=recipient)
    transfer = Transfer.objects.create(
        commission=commission,
        recipient=recipient,
        addressee=addressee.strip()[:255],
        due_on=selectors.transfer_due_on(commission),
        sent_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="yearend.transfer_request",
        obj=transfer,
        after={"recipient": recipient, "addressee": transfer.addressee},
    )
    if queue:
        job_queue(transfer)  # resent by its deadline if the message is lost (attestation.core.jobs)
    return transfer


def _entries(transfer: Transfer) -> list[tuple[TransferItem, bytes]]:
    commission = transfer.commission
    entries = _paper_entries(_papers(commission, transfer.recipient))
    if transfer.recipient == Transfer.Recipient.REGISTRAR:
        return entries + _copy_entries(_with_copies(selectors.graduates(commission=commission)))
    return entries + _summary_entries(actor=transfer.sent_by, commission=commission)


@transaction.atomic
def _pack_into(transfer: Transfer) -> None:
    entries = _entries(transfer)
    data = _pack(entries)
    transfer.sha256, transfer.sent_at, transfer.state = _sha(data), timezone.now(), Transfer.State.DONE
    transfer.file.save(
        f"{transfer.recipient}-{transfer.commission_id}-{transfer.sent_at:%Y%m%d%H%M%S}.zip", ContentFile(data), save=False
    )
    transfer.save()
    for item, _data in entries:
        item.transfer = transfer
    TransferItem.objects.bulk_create([item for item, _data in entries])
    audit_record(
        actor=transfer.sent_by,
        verb="yearend.transfer",
        obj=transfer,
        after={
            "recipient": transfer.recipient,
            "addressee": transfer.addressee,
            "sha256": transfer.sha256,
            "files": [[item.name, item.sha256] for item, _data in entries],
        },
    )
    if transfer.recipient == Transfer.Recipient.REGISTRAR:
        _tell_registrar(transfer, len(entries))


def _tell_registrar(transfer: Transfer, files: int) -> None:
    """The registrar office downloads what was sent (R5): each of its people gets the link."""
    url = reverse("yearend:transfer_download", args=[transfer.pk])
    for registrar in Registrar.objects.filter(institution_id=transfer.commission.institution_id).select_related("user"):
        notify(
            user=registrar.user,
            kind="yearend_transfer",
            template="yearend/email/transfer",
            url=url,
            context={"transfer": transfer, "commission": transfer.commission, "files": files},
        )


def transfer_pack(*, transfer_pk: int) -> Transfer | None:
    """Packs a queued transfer once (a second or late run finds it claimed): the registrar's signed vedomosti,
    degree protocols and ID copies, or the archive's protocols, vedomosti and summary vedomosti, each file recorded
    with its SHA-256 in the ZIP's index and in the transfer's items."""
    if not job_claim(Transfer, transfer_pk):
        return None
    transfer = Transfer.objects.select_related("commission__institution", "sent_by").get(pk=transfer_pk)
    try:
        _pack_into(transfer)
    except ValidationError as exc:  # a paper amended or a copy removed since the request
        job_fail(Transfer, transfer_pk, error=" ".join(exc.messages))
    except Exception as exc:
        job_fail(Transfer, transfer_pk, error=str(exc)[:2000])
        raise
    transfer.refresh_from_db()
    return transfer


def transfer_send(*, actor, commission: Commission, recipient: str, addressee: str) -> Transfer | None:
    """Requests and packs at once, without the worker (the demo data; the page queues it)."""
    transfer = transfer_request(actor=actor, commission=commission, recipient=recipient, addressee=addressee, queue=False)
    return transfer_pack(transfer_pk=transfer.pk)


# --- the diploma request and the portfolio (002 step 5, R39) --------------------------------------------------------


def portfolio_due_moment(request: DiplomaRequest) -> dt.datetime:
    """The portfolio is late from the day after its due day, in the institution's time zone."""
    zone = ZoneInfo(request.commission.institution.time_zone)
    return dt.datetime.combine(request.portfolio_due_on + dt.timedelta(days=1), dt.time(0, 0), zone)


@transaction.atomic
def diploma_request_create(*, actor, commission: Commission, order_number: str, order_date: dt.date) -> DiplomaRequest:
    """Generates the request for diplomas and transcripts (DOCX with the ID copies, and a ZIP) in the programme's
    language, listing the graduates alphabetically; sets the portfolio's deadline (R39: policy days after the order)."""
    if DiplomaRequest.objects.filter(commission=commission).exists():
        raise ValidationError(_("The diploma request of this commission is already generated."), code="exists")
    language = programme_language(commission.programmes.order_by("code").first())
    students = selectors.graduates(commission=commission, language=language)
    _cleared(students)
    graduates = _with_copies(students)
    if not graduates:
        raise ValidationError(_("The commission has no graduates yet."), code="no_graduates")
    due_on = order_date + dt.timedelta(days=policy_for(commission).portfolio_days)
    request = DiplomaRequest(
        commission=commission,
        order_number=order_number.strip(),
        order_date=order_date,
        language=language,
        graduates=len(graduates),
        portfolio_due_on=due_on,
        created_by=actor,
        created_at=timezone.now(),
    )
    heads = heads_of(commission)
    docx = diploma.request_docx(
        request=request, commission=commission, graduates=graduates, head_name=heads[0].display_name if heads else ""
    )
    name = f"diploma-request-{commission.pk}.docx"
    request.sha256 = _sha(docx)
    request.docx.save(name, ContentFile(docx), save=False)
    request.bundle.save(
        f"diploma-request-{commission.pk}.zip",
        ContentFile(diploma.request_bundle(docx=docx, docx_name=name, graduates=graduates)),
        save=False,
    )
    request.full_clean(exclude=["commission"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise ValidationError(_("The diploma request of this commission is already generated."), code="exists") from exc
    deadline_set(obj=request, kind=PORTFOLIO_LATE, due_at=portfolio_due_moment(request))
    audit_record(
        actor=actor,
        verb="yearend.diploma_request",
        obj=request,
        after={
            "order": request.order_number,
            "order_date": str(order_date),
            "graduates": [g.student.pk for g in graduates],
            "sha256": request.sha256,
        },
    )
    return request


def portfolio_late_flag(*, request_pk: int, now: dt.datetime) -> bool:
    """Flags the portfolio late once (a conditional update) and tells the heads and the secretary; False if it
    had arrived or was already flagged."""
    request = DiplomaRequest.objects.select_related("commission").get(pk=request_pk)
    if selectors.portfolio_arrived_at(request.commission_id) is not None:
        return False
    flagged = DiplomaRequest.objects.filter(pk=request_pk, portfolio_late_at__isnull=True).update(portfolio_late_at=now)
    if flagged != 1:
        return False
    secretaries = [
        m.user
        for m in Membership.objects.filter(commission=request.commission, role=Membership.Role.SECRETARY).select_related(
            "user"
        )
    ]
    for user in {u.pk: u for u in heads_of(request.commission) + secretaries}.values():
        notify(
            user=user,
            kind=PORTFOLIO_LATE,
            template="yearend/email/portfolio_late",
            context={"request": request, "commission": request.commission},
        )
    audit_record(actor=None, verb="yearend.portfolio_late", obj=request, after={"at": str(now)})
    return True

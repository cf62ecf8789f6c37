"""Reads for the year end: the graduates, the papers that leave the department, each step's state."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone

from attestation.core.collation import name_order, student_name_fields
from attestation.grading.models import Traditional
from attestation.grading.scale import INCOMPLETE
from attestation.institutions.models import Student
from commissions.models import Commission, DocumentJob, Paper, Sitting, Slot
from exams.admission.models import AdmissionDecision, AdmissionList
from exams.yearend.models import Accommodation, DiplomaRequest, Transfer

REGISTRAR_PAPERS = (Paper.Kind.VEDOMOST, Paper.Kind.DEGREE_PROTOCOL)
ARCHIVE_PAPERS = (Paper.Kind.VEDOMOST, Paper.Kind.PROTOCOL, Paper.Kind.DEGREE_PROTOCOL)


def _passed(slot: Slot) -> bool:
    result = slot.result
    if result.traditional == Traditional.UNSATISFACTORY or result.letter == INCOMPLETE:
        return False
    vote = getattr(slot, "vote_round", None)  # the missing reverse one-to-one is an AttributeError
    return vote is None or not vote.is_closed or bool(vote.awarded)


def graduates(*, commission: Commission, language: str = "kk") -> list[Student]:
    """The students who passed this commission's attestation (and, after a degree vote, were awarded), A to Я."""
    slots = Slot.objects.filter(sitting__commission=commission, result__isnull=False).select_related("result", "vote_round")
    ids = {slot.student_id for slot in slots if _passed(slot)}
    order = name_order(*student_name_fields(language), language=language)
    return list(Student.objects.filter(pk__in=ids).select_related("group__programme").order_by(*order))


def transfer_due_on(commission: Commission) -> dt.date:
    """The last day of the commission's exams: its last sitting, or the end of its period."""
    last = commission.sittings.aggregate(last=Max("date"))["last"]
    return last or commission.period_end


def portfolio_arrived_at(commission_id: int) -> dt.datetime | None:
    job = (
        DocumentJob.objects.filter(commission_id=commission_id, kind=DocumentJob.Kind.PORTFOLIO, output__isnull=False)
        .select_related("output")
        .order_by("created_at")
        .first()
    )
    return job.output.created_at if job and job.output else None


def step_state(*, done_at: dt.datetime | None, due_on: dt.date | None, today: dt.date) -> str:
    """done | due | late — one rule for every step on the department's page."""
    if done_at is not None:
        return "done"
    return "late" if due_on is not None and today > due_on else "due"


@dataclass
class TransferView:
    recipient: str
    label: str
    due_on: dt.date
    transfers: list = field(default_factory=list)

    @property
    def sent(self) -> list[Transfer]:
        return [t for t in self.transfers if t.state == Transfer.State.DONE]

    @property
    def last(self) -> Transfer | None:
        return next(iter(self.sent), None)

    @property
    def packing(self) -> bool:
        return any(t.state in (Transfer.State.QUEUED, Transfer.State.RUNNING) for t in self.transfers)

    @property
    def failed(self) -> Transfer | None:
        """The newest attempt, if it failed: the page says why."""
        newest = next(iter(self.transfers), None)
        return newest if newest is not None and newest.state == Transfer.State.FAILED else None

    @property
    def late_done(self) -> bool:
        return self.last is not None and timezone.localdate(self.last.sent_at) > self.due_on

    def state(self, today: dt.date) -> str:
        return step_state(done_at=self.last.sent_at if self.last else None, due_on=self.due_on, today=today)


@dataclass
class YearView:
    commission: Commission
    transfers: list[TransferView]
    request: DiplomaRequest | None
    portfolio_job: DocumentJob | None
    today: dt.date

    @property
    def portfolio_at(self) -> dt.datetime | None:
        return self.portfolio_job.output.created_at if self.portfolio_job and self.portfolio_job.output else None

    @property
    def transfer_rows(self) -> list[tuple[TransferView, str]]:
        return [(view, view.state(self.today)) for view in self.transfers]

    @property
    def portfolio_state(self) -> str:
        if self.request is None:
            return ""
        return step_state(done_at=self.portfolio_at, due_on=self.request.portfolio_due_on, today=self.today)

    @property
    def portfolio_late_done(self) -> bool:
        return bool(
            self.request and self.portfolio_at and timezone.localdate(self.portfolio_at) > self.request.portfolio_due_on
        )


def department_year(*, commissions, today: dt.date | None = None) -> dict[int, YearView]:
    """Per commission: its transfers (with items), its diploma request and portfolio — a fixed number of queries."""
    today = today or timezone.localdate()
    ids = [c.pk for c in commissions]
    last_days = dict(Commission.objects.filter(pk__in=ids).annotate(last=Max("sittings__date")).values_list("pk", "last"))
    sent: dict[tuple[int, str], list] = {}
    for transfer in (
        Transfer.objects.filter(commission_id__in=ids)
        .select_related("sent_by")
        .prefetch_related("items")
        .order_by("-requested_at")
    ):
        sent.setdefault((transfer.commission_id, transfer.recipient), []).append(transfer)
    requests = {r.commission_id: r for r in DiplomaRequest.objects.filter(commission_id__in=ids)}
    portfolios: dict[int, DocumentJob] = {}
    for job in (
        DocumentJob.objects.filter(commission_id__in=ids, kind=DocumentJob.Kind.PORTFOLIO, output__isnull=False)
        .select_related("output")
        .order_by("-created_at")
    ):
        portfolios[job.commission_id] = job  # the earliest one wins (ordered newest first)
    views = {}
    for commission in commissions:
        due = last_days.get(commission.pk) or commission.period_end
        transfers = [
            TransferView(r.value, str(r.label), due, sent.get((commission.pk, r.value), [])) for r in Transfer.Recipient
        ]
        views[commission.pk] = YearView(
            commission, transfers, requests.get(commission.pk), portfolios.get(commission.pk), today
        )
    return views


def department_accommodations(*, department) -> list[Accommodation]:
    return list(
        Accommodation.objects.filter(student__group__programme__department=department)
        .select_related("student__group", "recorded_by")
        .order_by("student__last_name_kk")
    )


@dataclass
class SittingView:
    sitting: object
    students: int
    results: int
    vedomost: Paper | None

    @property
    def state(self) -> str:
        """planned | held (results given) | documents (vedomost drawn up) | signed."""
        if self.vedomost is not None:
            return "signed" if self.vedomost.signatures.all() else "documents"
        return "held" if self.results else "planned"


def _sittings(ids: list[int]) -> dict[int, list[SittingView]]:
    vedomosti: dict[int | None, Paper] = {}
    for paper in (
        Paper.objects.filter(commission_id__in=ids, kind=Paper.Kind.VEDOMOST)
        .prefetch_related("signatures")
        .order_by("-created_at")
    ):
        vedomosti.setdefault(paper.sitting_id, paper)
    rows: dict[int, list[SittingView]] = {}
    for sitting in (
        Sitting.objects.filter(commission_id__in=ids)
        .order_by("date", "starts_at")
        .annotate(n_students=Count("slots", distinct=True), n_results=Count("slots__result", distinct=True))
    ):
        rows.setdefault(sitting.commission_id, []).append(
            SittingView(sitting, sitting.n_students, sitting.n_results, vedomosti.get(sitting.pk))
        )
    return rows


def _admission(department) -> dict[int, dict]:
    rows: dict[int, dict] = {}
    for programme_id, outcome, n in (
        AdmissionDecision.objects.filter(student__group__programme__department=department)
        .values_list("student__group__programme_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.setdefault(programme_id, {"lists": [], "counts": {}})["counts"][outcome] = n
    for admission_list in (
        AdmissionList.objects.filter(programme__department=department).select_related("order").order_by("-admitted_at")
    ):
        rows.setdefault(admission_list.programme_id, {"lists": [], "counts": {}})["lists"].append(admission_list)
    return rows


def department_overview(*, department, commissions) -> dict:
    """The department's year on one page: admission per programme; sittings, transfers, the diploma request and
    the portfolio per commission; the students' accommodations."""
    ids = [c.pk for c in commissions]
    return {
        "year": department_year(commissions=commissions),
        "sittings": _sittings(ids),
        "admission": _admission(department),
        "accommodations": department_accommodations(department=department),
    }

"""Reads of the API, each scoped to the token's institution; filters by period (academic year), programme, group."""

from django.db.models import QuerySet

from api.models import ApiToken
from attestation.institutions.models import Group, Institution, Programme, Student
from commissions.models import Commission, Paper, Result, Slot
from commissions.papers.selectors import signed_only


def tokens_for_institution(*, institution: Institution) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(institution=institution).select_related("created_by", "revoked_by")


def token_get(*, institution: Institution, pk: int) -> ApiToken:
    return ApiToken.objects.select_related("institution").get(institution=institution, pk=pk)


def programmes(*, institution: Institution) -> QuerySet[Programme]:
    return Programme.objects.filter(department__institution=institution).select_related("department")


def groups(*, institution: Institution, programme: str | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(programme__department__institution=institution).select_related("programme")
    return qs.filter(programme__code=programme) if programme else qs


def students(*, institution: Institution, group: str | None = None) -> QuerySet[Student]:
    qs = Student.objects.filter(institution=institution).select_related("group__programme").order_by("iin")
    return qs.filter(group__name=group) if group else qs


def _filtered_slots(qs, *, year: int | None, programme: str | None, group: str | None, via: str = ""):
    """Slots (or rows reached from a slot through `via`, e.g. "slot__") of a year, a programme, a group."""
    if year:
        qs = qs.filter(**{f"{via}sitting__commission__academic_year": year})
    if programme:
        qs = qs.filter(**{f"{via}student__group__programme__code": programme})
    if group:
        qs = qs.filter(**{f"{via}student__group__name": group})
    return qs


def schedule(*, institution: Institution, year=None, programme=None, group=None) -> QuerySet[Slot]:
    qs = Slot.objects.filter(sitting__commission__institution=institution).select_related(
        "student__group__programme", "sitting__commission"
    )
    return _filtered_slots(qs, year=year, programme=programme, group=group).order_by("starts_at", "pk")


def results(*, institution: Institution, year=None, programme=None, group=None) -> QuerySet[Result]:
    """Only announced results: what the students themselves can already see."""
    qs = Result.objects.filter(
        slot__sitting__commission__institution=institution, announced_at__isnull=False
    ).select_related("slot__student__group__programme", "slot__sitting__commission")
    return _filtered_slots(qs, year=year, programme=programme, group=group, via="slot__").order_by("slot__starts_at", "pk")


def signed_papers(*, institution: Institution, year=None, programme=None) -> QuerySet[Paper]:
    """Protocols and grade sheets (and their amendments) that everyone who must sign has signed."""
    qs = (
        signed_only(Paper.objects.filter(commission__institution=institution))
        .exclude(kind=Paper.Kind.REPORT)
        .select_related("commission", "sitting", "document", "slot__student")
        .prefetch_related("signatures__signer")
    )
    if year:
        qs = qs.filter(commission__academic_year=year)
    if programme:
        qs = qs.filter(commission__programmes__code=programme).distinct()
    return qs.order_by("created_at", "pk")


def paper_get(*, institution: Institution, pk) -> Paper:
    return signed_papers(institution=institution).get(pk=pk)


def commissions(*, institution: Institution, year=None, programme=None) -> QuerySet[Commission]:
    qs = Commission.objects.filter(institution=institution).prefetch_related("programmes")
    if year:
        qs = qs.filter(academic_year=year)
    if programme:
        qs = qs.filter(programmes__code=programme).distinct()
    return qs.order_by("pk")

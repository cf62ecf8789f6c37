"""Reads on commission documents, scoped to the person asking."""

from django.http import Http404
from django.utils import translation

from attestation.core.collation import name_order, student_name_fields
from commissions import permissions
from commissions.models import Commission, Paper, Signature


def paper_get_for_user(*, user, pk) -> Paper:
    """A document for those who may download it; 404 for everyone else."""
    paper = (
        Paper.objects.select_related("commission__institution", "document", "sitting", "slot__student").filter(pk=pk).first()
    )
    if paper is None or not permissions.can_download_paper(user, paper):
        raise Http404
    return paper


def registry_papers(
    *,
    institution_id: int,
    year: int | None = None,
    programme_id: int | None = None,
    commission_id: int | None = None,
    kind: str | None = None,
):
    """The registrar's list: newest first, filtered by period, programme and commission; a fixed query count."""
    papers = (
        Paper.objects.filter(commission__institution_id=institution_id)
        .select_related("commission", "sitting", "slot__student", "document")
        .prefetch_related("signatures")
    )
    if year:
        papers = papers.filter(commission__academic_year=year)
    if programme_id:
        papers = papers.filter(commission__programmes__id=programme_id)
    if commission_id:
        papers = papers.filter(commission_id=commission_id)
    if kind:
        papers = papers.filter(kind=kind)
    return papers.distinct().order_by(*registry_order())


def registry_order(language: str | None = None) -> list:
    """Commission by name, then sitting, then students' names (protocols) — names in the alphabet of the page's
    language (Kazakh or Russian, on PostgreSQL and SQLite alike); the newest version of a document first."""
    language = (language or translation.get_language() or "kk")[:2]
    commission_name = "commission__name_ru" if language == "ru" else "commission__name_kk"
    students = (f"slot__student__{f}" for f in student_name_fields(language))
    # The sitting's own papers (no student) come before its students' protocols on every database.
    names = [e.asc(nulls_first=True) for e in name_order(*students, language=language)]
    return [*name_order(commission_name, language=language), "sitting__date", "kind", *names, "-created_at"]


def signature_by_sha256(sha256: str) -> Signature | None:
    return Signature.objects.select_related("paper__commission", "signer").filter(sha256=sha256).first()


def commission_for_documents(*, user, pk: int) -> Commission:
    """The commission, for people on it (the report and the portfolio are theirs to make); 404 otherwise."""
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if commission is None or permissions.commission_role(user, commission) is None:
        raise Http404
    return commission

"""Reads on commission documents, scoped to the person asking."""

from django.http import Http404

from commissions import permissions
from commissions.models import Commission, Paper, Signature


def paper_get_for_user(*, user, pk) -> Paper:
    """A document for those who may download it; 404 for everyone else."""
    paper = Paper.objects.select_related("commission__institution", "document", "sitting", "slot__student").filter(
        pk=pk).first()
    if paper is None or not permissions.can_download_paper(user, paper):
        raise Http404
    return paper


def registry_papers(*, institution_id: int, year: int | None = None, programme_id: int | None = None,
                    commission_id: int | None = None, kind: str | None = None):
    """The registrar's list: newest first, filtered by period, programme and commission; a fixed query count."""
    papers = Paper.objects.filter(commission__institution_id=institution_id).select_related(
        "commission", "sitting", "slot__student", "document").prefetch_related("signatures")
    if year:
        papers = papers.filter(commission__academic_year=year)
    if programme_id:
        papers = papers.filter(commission__programmes__id=programme_id)
    if commission_id:
        papers = papers.filter(commission_id=commission_id)
    if kind:
        papers = papers.filter(kind=kind)
    return papers.distinct().order_by("-created_at")


def signature_by_sha256(sha256: str) -> Signature | None:
    return Signature.objects.select_related("paper__commission", "signer").filter(sha256=sha256).first()


def commission_for_documents(*, user, pk: int) -> Commission:
    """The commission, for people on it (the report and the portfolio are theirs to make); 404 otherwise."""
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if commission is None or permissions.commission_role(user, commission) is None:
        raise Http404
    return commission

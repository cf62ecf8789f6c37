"""Issue 23: every commission document type rendered in kk, ru and en and turned into PNG pages (pdftoppm) under
artifacts/documents/ for a person to look at; the test checks each renders to at least one page in its language
and that the last page holds the signature block together with the table's last lines (never alone)."""

import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from attestation.documents.render import pdf_bytes
from commissions.grading import votes
from commissions.models import Commission, Paper
from commissions.papers import services
from commissions.papers.report import report_context

pytestmark = pytest.mark.django_db
OUT = Path(__file__).resolve().parents[2] / "artifacts" / "documents"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_document_type_renders_in_each_language_with_the_sign_off_beside_the_text(
    world, slot, announced, media, language
):
    world.group.study_language = language
    world.group.save()
    Commission.objects.filter(pk=world.commission.pk).update(form=Commission.Form.DEFENSE)
    world.sitting.commission.refresh_from_db()
    vote_round = votes.vote_open(actor=world.chair, slot=slot, mode="open")
    votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    votes.vote_close(actor=world.chair, vote_round=vote_round)
    OUT.mkdir(parents=True, exist_ok=True)
    papers = [
        services.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot),
        services.paper_render(actor=world.secretary, kind=Paper.Kind.VEDOMOST, sitting=world.sitting),
        services.paper_render(actor=world.secretary, kind=Paper.Kind.DEGREE_PROTOCOL, sitting=world.sitting),
    ]

    with translation.override(language):
        report = pdf_bytes(
            template="documents/commissions_report.html",
            context=report_context(commission=world.commission, paper_id="00000000-0000-0000-0000-000000000000", text="—"),
            language=language,
        )
    files = {p.kind: p.document.file.read() for p in papers} | {"report": report}
    for kind, data in files.items():
        pdf = OUT / f"{kind}-{language}.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / f"{kind}-{language}")], check=True)
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
        last = subprocess.run(
            ["pdftotext", "-f", str(count), "-l", str(count), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert world.chair.display_name in last, (kind, language)
        assert len([line for line in last.splitlines() if line.strip()]) > 6, (kind, language)  # not alone on a page

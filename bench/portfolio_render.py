"""Builds one commission's portfolio through the app and with plain WeasyPrint on the same HTML; reports the ratio.

The app's path is what the secretary and the chair start from the commission's page, run synchronously here: the
sitting's documents job (a protocol per student and the grade sheet, each rendered in its language with the shipped
font, stored as a Document with its Paper, QR and audit record), the chair's report job, then the portfolio job (the
ZIP of every latest paper with an index of SHA-256 and signers). The plain path renders the identical HTML strings
(captured from the app's first run) with `weasyprint.HTML(string=html).write_pdf()` and writes them into a ZIP:
no database, no templates, no storage.

Works on the BENCH-U data set (`bench_seed`) in the database of bench/env.sh; everything the app writes is rolled
back and its files go to a temporary folder.
Usage: .venv/bin/python bench/portfolio_render.py [runs]   — prints one RESULT line
"""

import io
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEDIA = tempfile.mkdtemp(prefix="bench-portfolio-")
os.environ["ATTESTATION_MEDIA_ROOT"] = MEDIA
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from paired import paired  # noqa: E402  (bench/paired.py, beside this script)

from attestation.documents import render as render_module  # noqa: E402
from commissions.models import Commission, DocumentJob, Membership  # noqa: E402
from commissions.papers.services import job_run  # noqa: E402


def commission() -> Commission:
    """The first BENCH-U commission with announced results (50 students in the default data set)."""
    return (
        Commission.objects.filter(institution__short_name="BENCH-U", sittings__slots__result__isnull=False)
        .order_by("pk")
        .first()
    )


def app_build(target: Commission) -> int:
    """The three jobs in order, inside a transaction that is rolled back; returns the portfolio's size in bytes."""
    secretary = target.memberships.get(role=Membership.Role.SECRETARY).user
    with transaction.atomic():
        for kind, sitting in [
            *((DocumentJob.Kind.SITTING_DOCUMENTS, s) for s in target.sittings.all()),
            (DocumentJob.Kind.REPORT, None),
            (DocumentJob.Kind.PORTFOLIO, None),
        ]:
            job = DocumentJob.objects.create(
                kind=kind,
                commission=target,
                sitting=sitting,
                requested_by=secretary,
                text="Бенчмарк",
                created_at=timezone.now(),
            )
            job_run(job_pk=job.pk)
        job.refresh_from_db()
        size = job.output.file.size
        transaction.set_rollback(True)
    return size


def captured_html(target: Commission) -> list[str]:
    """The HTML of every document the app renders for the portfolio, recorded during one app build."""
    pages, original = [], render_module.render_to_string

    def recording(*args, **kwargs):
        pages.append(original(*args, **kwargs))
        return pages[-1]

    render_module.render_to_string = recording
    try:
        app_build(target)
    finally:
        render_module.render_to_string = original
    return pages


def plain_build(pages: list[str]) -> int:
    from weasyprint import HTML

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, html in enumerate(pages):
            archive.writestr(f"{n}.pdf", HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
    return len(buffer.getvalue())


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    target = commission()
    students = sum(s.slots.filter(result__isnull=False).count() for s in target.sittings.all())
    try:
        pages = captured_html(target)  # also warms templates, fonts and the QR code path
        app, plain, ratio = paired(lambda: app_build(target), lambda: plain_build(pages), runs)
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
    print(
        f"RESULT portfolio students={students} documents={len(pages)} runs={runs} app_s={app:.2f} "
        f"plain_weasyprint_s={plain:.2f} ratio={ratio:.3f}"
    )


if __name__ == "__main__":
    main()

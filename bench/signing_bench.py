"""Signing cost on a 300-student vedomost: prepare + embed + check for three signers, then the public verification,
against plain rendering of the same vedomost in the same run.

The signing path is the portal's own (commissions.papers.signing): `_prepare_pdf` (the incremental update with a
reserved hole, pyHanko's PdfCMSEmbedder), the hole filled with the CMS, `_check_last` (pyHanko's validation of the
new signature against the trust store, as `signing_finish` does before accepting), and `pdf_verify` on the final
file (what /verify/ runs). The three CMS are made by the test CA's keys the way NCALayer makes them — on the signer's
computer, so they are timed apart and not counted as the portal's work. No database: the PDF is rendered from
unsaved rows (bench/vedomost_render.py) and nothing is stored.

Usage: .venv/bin/python bench/signing_bench.py [students] [runs]   — prints one RESULT line
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SIGNING_REVOCATION", "soft")

from django.conf import settings  # noqa: E402
from vedomost_render import TEMPLATE, fake_context  # noqa: E402  (sets Django up)

from attestation.documents.render import pdf_bytes  # noqa: E402
from commissions.papers import signing, testca  # noqa: E402

SIGNERS = ("Оспанова Айгүл", "Бекова Сәуле", "Төлеуов Ерлан")  # member → secretary → chair


def sign_three(rendered: bytes, people) -> tuple[bytes, float, float]:
    """(signed file, seconds of portal work, seconds of the signers' NCALayer work)."""
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest

    data, portal, client = rendered, 0.0, 0.0
    for number, person in enumerate(people, start=1):
        start = time.perf_counter()
        prepared, digest = signing._prepare_pdf(
            data, field=f"Signature{number}", name=SIGNERS[number - 1], reason="bench", location="bench"
        )
        payload = prepared[: digest.reserved_region_start] + prepared[digest.reserved_region_end :]
        portal += time.perf_counter() - start
        start = time.perf_counter()
        cms = testca.cms_sign(payload, person)
        client += time.perf_counter() - start
        start = time.perf_counter()
        output = io.BytesIO(prepared)
        PreparedByteRangeDigest(
            digest.document_digest, digest.reserved_region_start, digest.reserved_region_end
        ).fill_with_cms(output, cms)
        data = output.getvalue()
        check = signing._check_last(data)
        assert check["error"] is None, check
        portal += time.perf_counter() - start
    return data, portal, client


def main() -> None:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    settings.SIGNING_TRUST_STORE = Path(tempfile.mkdtemp(prefix="bench-trust-"))
    ca = testca.shared_ca()
    people = [ca.person(iin=testca.iin_for(n), name=name) for n, name in enumerate(SIGNERS, start=1)]
    context = fake_context(students)
    rendered = pdf_bytes(template=TEMPLATE, context=context, language="kk")  # warm fonts and caches
    sign_three(rendered, people)
    render_s, portal_s, client_s, verify_s = [], [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        rendered = pdf_bytes(template=TEMPLATE, context=context, language="kk")
        render_s.append(time.perf_counter() - start)
        signed, portal, client = sign_three(rendered, people)
        portal_s.append(portal)
        client_s.append(client)
        start = time.perf_counter()
        report = signing.pdf_verify(signed)
        verify_s.append(time.perf_counter() - start)
        assert report["verdict"] == "valid" and len(report["signatures"]) == 3, report
    render, portal, client, verify = (statistics.median(x) for x in (render_s, portal_s, client_s, verify_s))
    work = portal + verify
    print(
        f"RESULT signing students={students} runs={runs} render_s={render:.3f} "
        f"prepare_embed_check_x3_s={portal:.3f} verify_s={verify:.3f} signing_work_s={work:.3f} "
        f"ncalayer_cms_x3_s={client:.3f} size_rendered_kb={len(rendered) // 1024} size_signed_kb={len(signed) // 1024} "
        f"signing_vs_render={work / render:.3f} render_plus_signing_vs_render={(render + work) / render:.3f}"
    )


if __name__ == "__main__":
    main()

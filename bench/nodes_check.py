"""What several nodes must share, checked on the running topology of bench/nodes.sh (bench/env.sh sourced, the
portal's S3 settings exported):

- sessions: a student signs in on node A (through nginx's A-only port) and opens the results page on node B;
- media: the student uploads an ID copy on node A; on node B (nginx's B-only port) the download view answers with
  X-Accel-Redirect and nginx fetches the signed object from the shared bucket (moto's S3 server): the bytes are the
  bucket's; another student gets 404, nobody signed in is sent to the login page; nginx's /_protected/ is 404 to a
  client; the bucket itself refuses an unsigned GET.

Usage: .venv/bin/python bench/nodes_check.py PORT_A PORT_B   — prints one RESULT line (ok=1 when all hold)
"""

import io
import os
import re
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from PIL import Image  # noqa: E402

from portal.management.commands.bench_seed import PASSWORD  # noqa: E402
from proctoring.models import IdCopy  # noqa: E402

HTTPS = {"X-Forwarded-Proto": "https"}


def cookie_value(response: requests.Response, name: str) -> str:
    match = re.search(rf"{re.escape(name)}=([^;]+)", response.headers.get("Set-Cookie", ""))
    assert match, f"no {name} cookie from {response.url}"
    return match.group(1)


def sign_in(base: str, username: str) -> str:
    """A real login (the form, its CSRF token, the password): the session cookie's value."""
    page = requests.get(f"{base}/accounts/login/", headers=HTTPS, timeout=30)
    csrf = cookie_value(page, settings.CSRF_COOKIE_NAME)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = requests.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={
            **HTTPS,
            "Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf}",
            "Origin": base.replace("http:", "https:"),
            "Referer": base.replace("http:", "https:") + "/accounts/login/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, (answer.status_code, answer.text[:300])
    return cookie_value(answer, settings.SESSION_COOKIE_NAME)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def main() -> None:
    port_a, port_b = sys.argv[1], sys.argv[2]
    node_a, node_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    checks: dict[str, bool] = {}

    session = sign_in(node_a, "bench-s1")
    jar = f"{settings.SESSION_COOKIE_NAME}={session}"
    results = requests.get(f"{node_b}/appeals/my/", headers={**HTTPS, "Cookie": jar}, allow_redirects=False, timeout=30)
    checks["session_a_to_b"] = results.status_code == 200

    form = requests.get(f"{node_a}/proctoring/id-copy/", headers={**HTTPS, "Cookie": jar}, timeout=30)
    csrf = cookie_value(form, settings.CSRF_COOKIE_NAME)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    before = IdCopy.objects.filter(student__user__username="bench-s1").count()
    upload = requests.post(
        f"{node_a}/proctoring/id-copy/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("id.png", png(), "image/png")},
        headers={
            **HTTPS,
            "Cookie": f"{jar}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "Origin": node_a.replace("http:", "https:"),
            "Referer": node_a.replace("http:", "https:") + "/proctoring/id-copy/",
        },
        allow_redirects=False,
        timeout=30,
    )
    copy = IdCopy.objects.filter(student__user__username="bench-s1").order_by("-pk").first()
    checks["upload_on_a"] = (
        upload.status_code == 302
        and copy is not None
        and before + 1 == IdCopy.objects.filter(student__user__username="bench-s1").count()
    )
    with default_storage.open(copy.file.name, "rb") as handle:
        in_bucket = handle.read()
    url = f"/proctoring/id-copy/{copy.pk}/file/"
    served = requests.get(f"{node_b}{url}", headers={**HTTPS, "Cookie": jar}, allow_redirects=False, timeout=30)
    checks["download_on_b_from_bucket"] = (
        served.status_code == 200
        and served.content == in_bucket
        and served.headers.get("Content-Security-Policy", "").startswith("sandbox")
        and "attachment" in served.headers.get("Content-Disposition", "")
        and "X-Accel-Redirect" not in served.headers
    )
    other = f"{settings.SESSION_COOKIE_NAME}={sign_in(node_b, 'bench-s2')}"
    checks["other_student_404"] = (
        requests.get(f"{node_b}{url}", headers={**HTTPS, "Cookie": other}, allow_redirects=False, timeout=30).status_code
        == 404
    )
    checks["anonymous_to_login"] = (
        requests.get(f"{node_a}{url}", headers=HTTPS, allow_redirects=False, timeout=30).status_code == 302
    )
    checks["protected_location_404"] = (
        requests.get(f"{node_b}/_protected/{default_storage.bucket_name}/{copy.file.name}", timeout=30).status_code == 404
    )
    endpoint = default_storage.endpoint_url.rstrip("/")
    checks["bucket_refuses_unsigned"] = (
        requests.get(f"{endpoint}/{default_storage.bucket_name}/{copy.file.name}", timeout=30).status_code == 403
    )
    failed = [name for name, ok in checks.items() if not ok]
    print(
        "RESULT nodes_check "
        + " ".join(f"{name}={int(ok)}" for name, ok in checks.items())
        + f" ok={int(not failed)} stored={copy.file.name}"
    )


if __name__ == "__main__":
    main()

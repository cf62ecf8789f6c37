"""Screenshots of the main pages as each role sees them, in Kazakh and Russian, into artifacts/screens/.

Needs the portal running with demo data (bash scripts/start). Usage: .venv/bin/python scripts/screenshots.py [URL]
"""

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
PASSWORD = "demo-attest-2026"  # noqa: S105 - the demo password
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = [
    ("student", "kk", "/", "student-home"),
    ("student", "kk", "/my/schedule/", "student-schedule"),
    ("secretary", "ru", "/", "secretary-home"),
    ("secretary", "kk", "/commissions/1/", "commission"),
    ("head", "kk", "/departments/1/", "department"),
    ("admin", "ru", "/institutions/1/policy/", "policy"),
    ("admin", "kk", "/institutions/1/import-students/", "import"),
    ("secretary", "kk", "/sittings/1/console/", "console"),
    ("secretary", "kk", "/today/sittings/1/", "today-desk"),
    ("student", "kk", "/exam/1/", "student-exam"),
    ("chair", "ru", "/sittings/1/results/", "sitting-results"),
    ("secretary", "kk", "/sittings/1/documents/", "sitting-documents"),
    ("student", "kk", "/appeals/my/", "student-results"),
    ("appeal-chair", "kk", "/appeals/commissions/1/", "appeal-commission"),
    ("head", "kk", "/admission/programmes/2/", "admission-table"),
    ("head", "ru", "/applications/queue/", "applications-queue"),
    ("student", "kk", "/applications/", "student-applications"),
    (None, "kk", "/accounts/login/", "login"),
    (None, "en", "/health/", "health"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for user, lang, path, name in PAGES:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
            context.add_cookies([{"name": "django_language", "value": lang, "url": BASE}])
            page = context.new_page()
            if user:
                page.goto(f"{BASE}/accounts/login/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit].w-100")
            page.goto(BASE + path)
            page.screenshot(path=str(OUT / f"{name}-{lang}.png"), full_page=True)
            if name == "commission":
                pdf = page.request.get(f"{BASE}/commissions/1/composition.pdf?lang=kk")
                (OUT / "composition-kk.pdf").write_bytes(pdf.body())
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "60", str(OUT / "composition-kk.pdf"), str(OUT / "composition-kk")],
                    check=True,
                )
            context.close()
        browser.close()
    print(f"Screenshots in {OUT}")


if __name__ == "__main__":
    main()

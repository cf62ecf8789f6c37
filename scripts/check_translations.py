"""Fails when a user-facing string of the project lacks its Kazakh or Russian translation.

Regenerates the catalogues from the source (makemessages), then asks msgfmt for untranslated or fuzzy
entries. When every string is translated the catalogues are put back as they were (only the header dates
would differ); otherwise the updated catalogues stay so the missing strings are easy to find.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGS = ("kk", "ru")


def main() -> int:
    backup = Path(tempfile.mkdtemp()) / "locale"
    shutil.copytree(LOCALE, backup)
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    cmd = [
        sys.executable,
        "manage.py",
        "makemessages",
        "--no-obsolete",
        "-v0",
        "--ignore=.venv/*",
        "--ignore=var/*",
        "--ignore=*/node_modules/*",
        *[f"-l{lang}" for lang in LANGS],
    ]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    problems = []
    for lang in LANGS:
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        out = subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
        ).stderr.strip()
        if "untranslated" in out or "fuzzy" in out:
            problems.append(f"{lang}: {out}")
    if problems:
        print("Missing translations (see locale/*/LC_MESSAGES/django.po):\n  " + "\n  ".join(problems))
        return 1
    shutil.rmtree(LOCALE)
    shutil.copytree(backup, LOCALE)
    print("Translations: every string has Kazakh and Russian.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

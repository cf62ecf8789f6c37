import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def _manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_demo_served_on_sqlite_as_scripts_start_does_opens_every_logins_pages(tmp_path):
    """scripts/start serves the demo from SQLite whatever database the tests use: migrate and seed a fresh SQLite
    file in a separate process, then every demo login opens its home page and each page linked from it."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "ATTESTATION_MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": "memory://",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    _manage("migrate", "-v0", env=env)
    _manage("seed_demo", env=env)
    out = _manage("shell", "-c", "from portal.tests.demo_pages import main; main()", env=env)
    errors = json.loads(out.split("DEMO_PAGE_ERRORS ", 1)[1].splitlines()[0])
    assert not errors, json.dumps(errors, ensure_ascii=False, indent=1)

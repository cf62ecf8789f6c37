#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")
    # Without a secret key this is a developer's machine: manage.py runs in DEBUG with the embedded defaults.
    # Production sets DJANGO_SECRET_KEY (and gunicorn goes through wsgi.py, which never defaults to DEBUG).
    if "DJANGO_SECRET_KEY" not in os.environ:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

.PHONY: start test screenshots deploy-check bench

start:
	bash scripts/start

test:
	bash scripts/test

# Every benchmark of issue 18 (pages, several nodes, backup/restore, documents, import, sweep): appends one dated section to bench/RESULTS.md.
bench:
	bash bench/run_all.sh

# Needs `bash scripts/start` running on port 8000.
screenshots:
	.venv/bin/python scripts/screenshots.py

deploy-check:
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(.venv/bin/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  .venv/bin/python manage.py check --deploy

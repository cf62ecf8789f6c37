.PHONY: start test screenshots deploy-check

start:
	bash scripts/start

test:
	bash scripts/test

# Needs `bash scripts/start` running on port 8000.
screenshots:
	.venv/bin/python scripts/screenshots.py

deploy-check:
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(.venv/bin/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  .venv/bin/python manage.py check --deploy

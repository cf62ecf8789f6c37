"""Settings for the Attestation Portal; every variable is listed in .env.example."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from attestation.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ATTESTATION_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-insecure-key-change-me" if DEBUG else None)
if not DEBUG and SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("Set a real DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The portal's public address, printed in the QR codes of signed documents (verification page).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "attestation.accounts",
    "attestation.core",
    "attestation.institutions",
    "attestation.workcal",
    "attestation.grading",
    "attestation.documents",
    "commissions",
    "exams",
    "proctoring",
    "appeals",
    "exams.admission",
    "exams.applications",
    "exams.preparation",
    "exams.yearend",
    "ninja",
    "api",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A student's cached page (results, schedule, the exam poll) is served from here, before the person is read: the
    # headers above still apply to it (attestation/core/student_pages.py).
    "attestation.core.student_pages.StudentPageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "attestation.institutions.middleware.InstitutionTimeZoneMiddleware",
    "attestation.core.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"  # in the portal's layout and the user's language
WSGI_APPLICATION = "attestation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "attestation.institutions.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL via psycopg2 in production); SQLite is the embedded default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'attestation.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# Behind PgBouncer in transaction mode (docs/production.md): no server-side cursors, which live across transactions.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
# The queries the students' pages run on every miss are planned once per database session (attestation/core/prepared.py):
# false behind PgBouncer in transaction mode, which does not keep a session's prepared statements — and so false by
# default where server-side cursors are off, as docs/production.md has a PgBouncer deployment set them.
DATABASE_PREPARED_STATEMENTS = env_bool(
    "DATABASE_PREPARED_STATEMENTS", not DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "attestation.accounts.backends.UsernameOrEmailBackend",
    "attestation.accounts.oidc.InstitutionOIDCBackend",  # an institution's own OpenID Connect provider
]
# mozilla-django-oidc: the provider's endpoints and client come from the institution's SingleSignOn row.
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_TIMEOUT = 10
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_HOURS = env_int("INVITATION_HOURS", 72)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force lockout (django-axes): a username is locked after N failures for the cool-off hours.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# The portal's own strings, then the Kazakh gaps of Django, crispy-forms and axes (both win over the libraries').
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["attestation.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("ATTESTATION_MEDIA_ROOT", str(VAR_DIR / "media")))
# Behind nginx: the download views answer with X-Accel-Redirect to this internal location (docs/media.md);
# empty (the default) streams the file from Django.
MEDIA_ACCEL_REDIRECT = env_str("ATTESTATION_MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not (MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")):
    raise ImproperlyConfigured("ATTESTATION_MEDIA_ACCEL_REDIRECT must start and end with '/', e.g. /_protected/.")
# Where stored files live: "filesystem" (MEDIA_ROOT on this machine, the embedded default) or "s3" (a private
# S3-compatible bucket that several nodes share; docs/media.md and docs/production.md).
MEDIA_STORAGE = env_str("ATTESTATION_MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured("ATTESTATION_MEDIA_STORAGE must be filesystem or s3.")
_media_storage = (
    {
        "BACKEND": "attestation.core.storage_s3.UnguessableS3Storage",
        "OPTIONS": {
            "bucket_name": env_str("ATTESTATION_S3_BUCKET"),
            "endpoint_url": env_str("ATTESTATION_S3_ENDPOINT_URL", "") or None,  # empty: AWS itself
            "region_name": env_str("ATTESTATION_S3_REGION", "") or None,
            "location": env_str("ATTESTATION_S3_PREFIX", ""),
            # the keys: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment (or the machine's role)
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,  # any address of an object is signed and short-lived
            "file_overwrite": False,
            "addressing_style": env_str("ATTESTATION_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
        },
    }
    if MEDIA_STORAGE == "s3"
    else {"BACKEND": "attestation.core.storage.UnguessableFileSystemStorage"}
)
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@attestation.local")

# Celery: Redis in production; with no broker URL the embedded default is a filesystem broker under var/.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
_celery_dir = VAR_DIR / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
_default_results = {
    "redis": CELERY_BROKER_URL,
    "memory": "cache+memory://",
    "filesystem": f"file://{_celery_dir / 'results'}",
}.get(CELERY_BROKER_URL.split(":", 1)[0], "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_results) or None
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
DEADLINE_SWEEP_SECONDS = env_int("DEADLINE_SWEEP_SECONDS", 60)
# How often beat asks whether the shared cache lost the pages built ahead (attestation/core/pages_rebuild.py), in
# seconds: they live 600 s at most (student_pages.PAGE_SECONDS), so a later look would find nothing left to rebuild.
PAGES_REBUILD_SECONDS = env_int("PAGES_REBUILD_SECONDS", 60)
if not 1 <= PAGES_REBUILD_SECONDS <= 300:
    raise ImproperlyConfigured("PAGES_REBUILD_SECONDS must be between 1 and 300.")
# How often the secretary's desk for today refreshes its parts (portal/today.py), in seconds.
TODAY_DESK_POLL_SECONDS = env_int("TODAY_DESK_POLL_SECONDS", 5)
if not 1 <= TODAY_DESK_POLL_SECONDS <= 300:
    raise ImproperlyConfigured("TODAY_DESK_POLL_SECONDS must be between 1 and 300.")

# The cache: Redis (the broker's own server unless DJANGO_CACHE_URL names another) is one cache every process and
# node shares, so sessions, signed-in people and students' result pages may be served from it (docs/performance.md).
# Without Redis each process has its own memory cache, which nothing that must stay current is read from.
CACHE_URL = env_str("DJANGO_CACHE_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("DJANGO_CACHE_URL must be a Redis URL (redis://host:6379/1), or empty.")
SHARED_CACHE = bool(CACHE_URL)
CACHES = {
    "default": (
        {"BACKEND": "attestation.core.cache.ReusedClientRedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "att"}
        if SHARED_CACHE
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions live in the database and, with a shared cache, are read from it: a session is not tied to one node and
# survives a flushed cache. A per-process cache would keep a logged-out session alive in the other processes.
SESSION_ENGINE = f"attestation.core.sessions.{'cached_db' if SHARED_CACHE else 'db'}"
# The signed-in person of each request read from the shared cache, not the database (accounts.backends).
CACHED_USERS = SHARED_CACHE

# Electronic signatures: each signer's own key through NCALayer (README, "Signatures").
# A directory (or one file) of PEM/DER certificates: the roots and intermediates signers' certificates must chain to.
SIGNING_TRUST_STORE = Path(env_str("SIGNING_TRUST_STORE", str(VAR_DIR / "trust")))
# Revocation of signers' certificates: "off" (not checked, and documents say so), "soft" (OCSP/CRL where reachable,
# otherwise documents say it could not be checked), "require" (a signature whose revocation cannot be checked is refused).
SIGNING_REVOCATION = env_str("SIGNING_REVOCATION", "soft")
# Where the browser finds NCALayer; tests point it at the stand-in server.
NCALAYER_URL = env_str("NCALAYER_URL", "wss://127.0.0.1:13579/")
SIGNING_MAX_VERIFY_BYTES = env_int("SIGNING_MAX_VERIFY_BYTES", 20 * 1024 * 1024)

# Security headers; `manage.py check --deploy` is clean with DEBUG off.
SESSION_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True  # the switcher is a form posted to set_language; no script reads the cookie
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own files: no inline <script>, no on* handlers, no eval (attestation/tests/security).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'", NCALAYER_URL],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
FORMS_URLFIELD_ASSUME_HTTPS = True

# The API for the institution's systems (api/): calls per token per minute.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)

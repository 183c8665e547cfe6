"""Settings of the IKMA monitoring system, read from the environment (django-environ).

Defaults give a working development site on SQLite with no configuration at all.
``DJANGO_ENV=production`` switches on the production mode: DEBUG is refused, a real
SECRET_KEY and ALLOWED_HOSTS are required and the transport/cookie hardening is on, so that
``manage.py check --deploy`` can pass there.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from core.security_policy import DEFAULT_POLICY

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; absent in CI and on fresh checkouts

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
IS_PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if IS_PRODUCTION and DEBUG:
    raise environ.ImproperlyConfigured("DJANGO_DEBUG must not be on when DJANGO_ENV=production")

if IS_PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    # A fixed key is fine for development and tests only; production requires its own.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-ikma-monitoring")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

INSTALLED_APPS = [
    "core.admin_site.IkmaAdminConfig",  # replaces django.contrib.admin: admin for the ADMIN role only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # django-ninja (the API): its Swagger UI from its own static files, never a CDN (api/site.py).
    "ninja",
    "core",
    "accounts",
    "budgets",
    "programs",
    "imports",
    "reports",
    "dashboard",
    "demo",
    "public",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageFromChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The client's address on every audit line, 403/404 audited; then no-store for signed-in users.
    "core.middleware.AuditContextMiddleware",
    "core.middleware.SignedInNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that finds the database unreachable or locked answers 503 "coba lagi", not 500.
    "core.db_unavailable.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ikmsite.urls"

# Sections the monthly report page shows after its realization (budgets/report_sections.py): the
# month's programme records, which budgets cannot import.
MONTHLY_REPORT_SECTIONS = ["programs.records.section.monthly_records_section"]
# Who wrote the programme records a monthly report carries (budgets/services/duties.py): they may
# not decide on the report either.
MONTHLY_REPORT_EDITORS = ["programs.records.section.user_edited_records"]
# The programme records' count per output indicator of a monthly report (budgets/ro_entry.py): the
# "Capaian RO" section shows it next to the volume typed for an RO measured by that indicator.
RO_RECORD_COUNTS = ["programs.records.output_summary.counts_for_report"]
# Data-quality rules of the apps above budgets (budgets/quality.py): each returns the findings on a
# monthly report's records, stored as flags by budgets/services/quality.py.
MONTHLY_REPORT_QUALITY_CHECKS = ["programs.records.quality.record_findings"]
# The exhibition transaction value per IKM above which a facilitation is flagged (whole rupiah;
# programs/records/quality.py).
QUALITY_EXHIBITION_VALUE_PER_IKM_CAP = env.int("QUALITY_EXHIBITION_VALUE_PER_IKM_CAP", default=500_000_000)
# What evidence (budgets/evidence_targets.py) may be attached to besides budgets' own models:
# dotted paths of dicts {model label: resolver}, and of the functions listing a monthly report's
# records for its evidence section.
EVIDENCE_TARGETS = ["programs.records.evidence.EVIDENCE_TARGETS"]
EVIDENCE_REPORT_RECORDS = ["programs.records.evidence.report_records"]
# The records evidence rules (budgets/evidence_rules.py) may apply to besides budgets' own, with
# the conditions a rule may name: dotted paths of dicts {model label: RuleTarget}.
EVIDENCE_RULE_TARGETS = ["programs.records.evidence.EVIDENCE_RULE_TARGETS"]
WSGI_APPLICATION = "ikmsite.wsgi.application"

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
                "accounts.context_processors.permissions",
                "core.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps connections between requests (opening one per request halved the throughput
# of cheap pages in `make bench`), checked before reuse so a restarted database is survived.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60 if IS_PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing: a transaction that reads and then writes (every workflow
    # step) takes the write lock at BEGIN, so SQLite's busy timeout applies; under the default
    # DEFERRED mode the second of two such transactions fails at once with "database is locked"
    # (issue 18, finding 5). Each waits up to DJANGO_SQLITE_TIMEOUT seconds for the one before it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": env.float("DJANGO_SQLITE_TIMEOUT", default=20)}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "pages": dashboard and report parts cached under the reports' data version (core/fresh_cache.py),
# so they are never stale. "default": rate limits and the like. With REDIS_URL (e.g.
# redis://127.0.0.1:6379/0) both live in Redis through Django's own RedisCache, shared by every
# app server and worker (a page built by one is served by all; Redis bounds the memory, in bytes,
# with its maxmemory and LRU eviction: README "Configuration"); without it each process keeps its
# own in memory, bounded in bytes (DJANGO_PAGE_CACHE_MB per process: core/bounded_cache.py), so
# `make run` needs nothing more. Sessions are in the database either way.
# DJANGO_FRESH_CACHE=0 builds every page afresh (`make bench` measures latency that way).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("DJANGO_CACHE_PREFIX", default="ikma"),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("DJANGO_CACHE_PREFIX", default="ikma") + "-pages",
            "TIMEOUT": 3600,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "pages": {
            "BACKEND": "core.bounded_cache.BytesBoundedLocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_BYTES": env.int("DJANGO_PAGE_CACHE_MB", default=64) * 1024 * 1024},
        },
    }
# Absolute links in e-mail (budgets/notifications.py): the address users open the site at.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
FRESH_CACHE_ENABLED = env.bool("DJANGO_FRESH_CACHE", default=True)
# The data version those pages are cached under (core/data_version.py) rises with every committed
# write to these apps' tables, but for these models: the IKM registry's summary raises a version
# of its own (the IKM report is cached under both; the registry's bulk imports must not invalidate
# the budget reports), and the enterprises none (their list pages are not cached; every write of
# them changes the summary in the same transaction).
DATA_VERSION_APPS = ["budgets", "programs"]
DATA_VERSION_OWN = {"programs.RegistrySummary": "registry"}
DATA_VERSION_UNWATCHED = ["programs.Enterprise"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out (username, IP) pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.NotDemoPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: 5 failures lock one (username, IP address) pair for 15 minutes; a success resets it.
# Not the IP alone (axes' default): a provincial office shares one address, and one officer's
# typos must not lock out colleagues.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# The client's address, for the lockout and the audit log (accounts/client_address.py): behind a
# TLS proxy REMOTE_ADDR is the proxy's, so X-Forwarded-For is read, but only when the request
# comes from one of these proxies (addresses or networks, e.g. 10.0.0.5,10.1.0.0/16). None by
# default: without a proxy anyone could write that header and pick the address they are locked by.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
# Wrong current passwords on the password change page: this many in the window sign the user out
# (accounts/views.py), each one an audit event.
PASSWORD_CHANGE_FAILURE_LIMIT = 5
PASSWORD_CHANGE_FAILURE_WINDOW = 15 * 60

# Indonesian first; English second. Our own msgids are written in Indonesian (the working
# language); locale/en holds the English catalogue.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only production collects static files (hashed, compressed); elsewhere whitenoise serves
# straight from the finders and has no collected folder to look for.
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles") if IS_PRODUCTION else None
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm (package-lock.json) and are served from node_modules
    # under a stable prefix; nothing third-party is copied into the repository.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    # Evidence files (bukti dukung, budgets.Evidence): under generated names in a directory no URL
    # serves (not MEDIA_ROOT, not static); read only through /evidence/<id>/ and its scoping gate.
    # Production may use an S3-compatible store instead (README "Evidence").
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("EVIDENCE_DIR", default=BASE_DIR / "var" / "evidence")},
    },
}
# Largest evidence file accepted, and the most pixels an evidence image may have (core/files).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=50_000_000)
# Outside production whitenoise serves straight from the finders, so `make run` needs no
# collectstatic; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION  # pick up edited static files without a restart
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Excel imports. Uploaded files are kept (the admin can see what was imported) in a directory
# that no URL serves, under generated names; an upload is checked and imported by a background
# worker (`manage.py db_worker`, started by `make run`) because a 100.000-row file takes longer
# than a web request may. Tests run tasks immediately (tests/conftest.py).
IMPORT_UPLOAD_DIR = env.path("IMPORT_UPLOAD_DIR", default=BASE_DIR / "var" / "uploads")
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# Per user: uploads waiting or in work at once, and uploads in 24 hours (imports/upload_limits.py).
IMPORT_MAX_PENDING_UPLOADS = env.int("IMPORT_MAX_PENDING_UPLOADS", default=5)
IMPORT_MAX_UPLOADS_PER_DAY = env.int("IMPORT_MAX_UPLOADS_PER_DAY", default=50)
# Refused, failed and cancelled uploads (record and file) are deleted after this many days by
# `manage.py purge_uploads`; imported uploads are kept.
IMPORT_REFUSED_RETENTION_DAYS = env.int("IMPORT_REFUSED_RETENTION_DAYS", default=30)
# An upload being checked or imported whose worker has not given a sign of life for this long is
# released as failed (the worker was killed; its transaction was rolled back).
IMPORT_STUCK_MINUTES = env.int("IMPORT_STUCK_MINUTES", default=15)
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Development (``make run``, the demo) prints e-mail on the console unless a mail server is named
# (EMAIL_HOST): the demo accounts' addresses (@demo.ikma.example) reach no one either way. The
# outbox (core.OutgoingMail) sends through whichever backend this is.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if IS_PRODUCTION or "EMAIL_HOST" in os.environ
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="monitoring-ikma@localhost")

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE", default=8 * 60 * 60)  # one working day at most
# Signed out when the browser closes, and after this many idle minutes (0: no idle limit):
# offices share computers (accounts/middleware.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = env.int("DJANGO_SESSION_IDLE_MINUTES", default=30) * 60
# Only our own static files may run or style a page (core/security.py; "" turns it off).
CONTENT_SECURITY_POLICY = env.str("DJANGO_CONTENT_SECURITY_POLICY", default=DEFAULT_POLICY)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if IS_PRODUCTION:
    # Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true so Django trusts
    # its X-Forwarded-Proto; the redirect itself can be left to the proxy.
    if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading puts the domain in the browsers' built-in HTTPS-only lists, which takes months to
    # undo (for every subdomain too): the operator opts in, it is not a default.
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # The deploy check's "not preloaded" warning: off here on purpose (above).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Console logging; production writes JSON lines (one object per record, core/log_format.py)
# for a log collector. ``ikma.audit`` carries sign-ins, lockouts, approvals and imports.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("DJANGO_LOG_FORMAT", default="json" if IS_PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "ikma.audit": {"level": "INFO"}},
}

"""Settings for backancity. Everything that differs between machines comes from the
environment (see `.env.example`); the defaults are the embedded development set-up:
SQLite in the checkout and Celery tasks run eagerly."""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    # Only a development server may fall back to a known key.
    SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
else:
    # Required to serve and to run tasks: wsgi.py, asgi.py and the Celery worker and beat
    # refuse to start without it (env.require_secret_key). Commands that sign nothing
    # (makemigrations, migrate, check) run without one; Django itself refuses an empty
    # key wherever one is used.
    SECRET_KEY = env_str("SECRET_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Our apps, lowest layer first: each app only depends on the ones above it (and `portal`,
# the web shell, on all of them).
PROJECT_APPS = [
    "units",
    "accounts",
    "audit",
    "periods",
    "resolutions",
    "projects",
    "indicators",
    "reporting",
    "dashboards",
    "reviews",
    "spreadsheets",
    "ops",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    *PROJECT_APPS,
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the application server (gunicorn) with far-future caching.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; leaders and the secretariat must pass two-factor.
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Everything requires a signed-in user unless a view opts out explicitly.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backancity.urls"

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
                "portal.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "backancity.wsgi.application"
ASGI_APPLICATION = "backancity.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+address before the password
    # is even checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UnitAwareModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Localisation: Vietnamese first, English second. Our own number and date formats live in
# backancity/formats (Django's `vi` formats have no grouping and no input formats).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["backancity.formats"]
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "var" / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development WhiteNoise serves straight from the apps' and project's static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")

# E-mail (reminders). The console backend prints mail when no SMTP server is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if env_str("EMAIL_HOST") else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "backancity <no-reply@backancity.local>"

# Celery. Without a broker every task runs eagerly in the calling process, so the portal
# works on a laptop with no Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE") or "backancity"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "ensure-reporting-periods": {
        "task": "periods.tasks.ensure_reporting_periods",
        "schedule": 6 * 60 * 60,
    },
}

# --- Security -----------------------------------------------------------------------
# Sessions: 30 idle minutes (the expiry slides with each request) and at most 10 hours
# after signing in, whatever the activity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages carry the token themselves (forms, hx-headers)
SESSION_COOKIE_NAME = "backancity_session"

# Two-factor (TOTP) log-in for these roles; officers may turn it on for themselves.
# Development (DEBUG=1) runs without it unless TWO_FACTOR_REQUIRED=1, so the demo works
# without an authenticator app.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_ROLES = ("leader", "secretariat")
OTP_TOTP_ISSUER = "backancity — Thành ủy Bắc Kạn"
# Nobody reads another person's TOTP secret, not even in the admin (which would let them
# make codes for that person): the admin may remove a device, never show its key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Log-in lock-out (django-axes): 5 failures for one username from one address lock that
# pair for 15 minutes — a whole office behind one NAT address is not locked out by one
# person's typos, and a password-guesser is stopped on every username.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Behind a reverse proxy, the client address is the one TRUSTED_PROXY_COUNT hops from the
# right of X-Forwarded-For; with no proxy (0) it is REMOTE_ADDR and the header is ignored
# (audit/client_ip.py — one rule for the lock-out and the audit log).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "audit.client_ip.client_ip"
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Headers. The Content Security Policy allows only our own scripts, styles, fonts and
# images: no inline script, no eval, no CDN.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ops.logging.JsonFormatter"},
    },
    "handlers": {
        # LOG_FORMAT=json: one JSON object per line, for log collectors.
        "console": {"class": "logging.StreamHandler", "formatter": env_str("LOG_FORMAT") or "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "backancity.audit": {"level": "INFO"},
    },
}

# The portal's own names for roles and figure provenance, shared by several apps.
PORTAL_NAME = _("Theo dõi thực hiện Nghị quyết 29-NQ/TU")
# The first year the portal tracks (the first full year of Action Programme 11-CTr/TU).
PORTAL_FIRST_YEAR = env_int("PORTAL_FIRST_YEAR", 2023)

# --- Quarterly reporting (reporting/) ---------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# Units that have not sent the current quarter's report are reminded (e-mail and a banner)
# every day from this many days before the due date until they send it.
REPORTING_REMINDER_DAYS_BEFORE_DUE = env_int("REPORTING_REMINDER_DAYS_BEFORE_DUE", 7)
# The portal's address as users reach it, for the links in reminder and review e-mails.
REPORTING_BASE_URL = env_str("REPORTING_BASE_URL") or "http://127.0.0.1:8000"
# Report e-mails (returned, approved) that never went out — the broker was down at the
# approval, or the mail server through every retry — are published again by a sweep:
# those older than half an hour (the task's own retries span about 25 minutes) and
# younger than a day.
REPORTING_NOTICE_SWEEP_AFTER_SECONDS = env_int("REPORTING_NOTICE_SWEEP_AFTER_SECONDS", 30 * 60)
REPORTING_NOTICE_SWEEP_HOURS = env_int("REPORTING_NOTICE_SWEEP_HOURS", 24)
CELERY_BEAT_SCHEDULE["reporting-sweep-event-notices"] = {
    "task": "reporting.tasks.sweep_report_event_notices",
    "schedule": 10 * 60,
}
CELERY_BEAT_SCHEDULE["reporting-send-reminders"] = {
    "task": "reporting.tasks.send_report_reminders",
    # Each morning at 7:00 (CELERY_TIMEZONE); a second run the same day sends nothing twice.
    "schedule": crontab(hour=7, minute=0),
}

# --- Dashboards (dashboards/) -----------------------------------------------------------
# The resolution's milestone years: each indicator's trend is projected to these targets.
DASHBOARDS_TARGET_YEARS = (2025, 2030)
# How many of the latest yearly actuals (fourth-quarter figures) the linear trend is fitted on.
DASHBOARDS_TREND_YEARS = 5
# A project is late when its reported progress trails the time-proportional plan by more
# than this many percentage points.
DASHBOARDS_PROJECT_DELAY_POINTS = 10

# --- Annual review report (reviews/) ----------------------------------------------------

# The resolution the annual review reports on, and the body that issues the review (the
# header follows the party's document format, Hướng dẫn 36-HD/VPTW).
REVIEWS_RESOLUTION_NUMBER = "29-NQ/TU"
REVIEWS_ISSUER = {
    "superior": "ĐẢNG BỘ TỈNH BẮC KẠN",
    "name": "THÀNH ỦY BẮC KẠN",
    "name_in_text": "Thành ủy Bắc Kạn",
    "place": "Bắc Kạn",
    "number_suffix": "BC/TU",
    "reporting_body": "Ban Thường vụ Thành ủy",
    "signing_for": "T/M BAN THƯỜNG VỤ",
    # Printed under "Nơi nhận" unless the secretariat writes the list for the year.
    "recipients": ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng Thành ủy."],
}

# A version whose build runs longer than this many seconds is stopped and marked failed:
# the worker's soft time limit, and an in-process alarm when tasks run eagerly (no broker).
REVIEWS_RENDER_TIME_LIMIT = env_int("REVIEWS_RENDER_TIME_LIMIT", 10 * 60)

# A worker killed in the middle of a task (out of memory, deploy, kill -9) must not lose
# it: acknowledge only after the task has run, and hand the message back to the broker
# when the process executing it dies (late acknowledgement alone acknowledges it then).
# Tasks therefore have to be idempotent. One message at a time per process, so a long
# render does not hold others hostage.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
# The broker's visibility timeout (after which Redis hands an unacknowledged message out
# again) is set with the other broker options in the operations section below.

# A transient error (database or disk briefly unavailable) is retried this many times,
# after REVIEWS_RETRY_BASE_SECONDS, then twice as long each time (10, 20, 40, 80, 160 s).
REVIEWS_TASK_MAX_RETRIES = env_int("REVIEWS_TASK_MAX_RETRIES", 5)
REVIEWS_RETRY_BASE_SECONDS = env_int("REVIEWS_RETRY_BASE_SECONDS", 10)
# The sweep (a periodic task) publishes again the jobs no worker would otherwise finish:
# - queued, but their message never reached the broker (it was down when the request
#   committed) for REVIEWS_SWEEP_UNPUBLISHED_AFTER seconds;
# - queued, published, yet not started after REVIEWS_SWEEP_QUEUED_AFTER seconds (the
#   message was lost: Redis restarted without persistence);
# - running, started more than REVIEWS_SWEEP_RUNNING_AFTER seconds ago, and no process
#   holds the job's run lock any more (its worker died). On SQLite, which has no such
#   lock, the time alone decides, so the default is longer than the hard time limit.
REVIEWS_SWEEP_INTERVAL = env_int("REVIEWS_SWEEP_INTERVAL", 60)
REVIEWS_SWEEP_UNPUBLISHED_AFTER = env_int("REVIEWS_SWEEP_UNPUBLISHED_AFTER", 60)
REVIEWS_SWEEP_QUEUED_AFTER = env_int("REVIEWS_SWEEP_QUEUED_AFTER", 2 * 60 * 60)
REVIEWS_SWEEP_RUNNING_AFTER = env_int("REVIEWS_SWEEP_RUNNING_AFTER", 15 * 60)
CELERY_BEAT_SCHEDULE["sweep-review-jobs"] = {
    "task": "reviews.tasks.sweep_review_jobs",
    "schedule": REVIEWS_SWEEP_INTERVAL,
}

# --- Excel/CSV import and export (spreadsheets/) -----------------------------------------
# django-import-export: one transaction per import, and import and export each need their
# own per-model permission ("import_indicator", "export_indicator"; created by
# spreadsheets/permissions.py after migrate) instead of mere admin access.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
# Uploaded spreadsheets: refused above this size; an .xlsx also when its zip directory is
# out of proportion (more entries, more unpacked bytes or a higher packing ratio than any
# real workbook of ours); at most this many data rows per sheet.
SPREADSHEETS_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SPREADSHEETS_MAX_XLSX_ENTRIES = 500
SPREADSHEETS_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
SPREADSHEETS_MAX_COMPRESSION_RATIO = 100
SPREADSHEETS_MAX_ROWS = 20_000
# An upload waits this long for its confirmation, then it is discarded.
SPREADSHEETS_UPLOAD_HOURS = 24
CELERY_BEAT_SCHEDULE["discard-stale-spreadsheet-uploads"] = {
    "task": "spreadsheets.tasks.discard_stale_uploads",
    "schedule": 60 * 60,
}

# --- Operations (ops/) -------------------------------------------------------------------
# Redis hands an unacknowledged message out again once it is older than the visibility
# timeout (a worker that died with it, even its main process, loses nothing). It must be
# longer than any task and any retry countdown, or a task still running is started a
# second time. Workers look for such messages every tenth of it (at most every 10 s).
OPS_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": OPS_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, OPS_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A worker killed while it held the restore lock blocks the others' restores this long.
    "unacked_mutex_expire": min(300, OPS_VISIBILITY_TIMEOUT),
    # A broker that is unreachable fails a publish in seconds instead of hanging a request.
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# Workers and beat wait out a broker outage of any length, and may start before it.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A database server that does not answer fails the request in seconds (a Vietnamese
# "try again" page, ops/unavailable.py) instead of holding a gunicorn worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)

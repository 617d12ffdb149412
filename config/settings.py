"""tidtam settings: one file, every deployment difference read from the environment."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from csp.constants import NONE, SELF

from config.env import database, env_bool, env_int, env_list, env_secret, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
# django-ninja's Swagger UI page and scripts, served from this site (tidtam/api/api.py: LocalDocs).
# Found without importing ninja: listed in INSTALLED_APPS it would be imported by every command
# (0.15 s of a `tidtam cleanup`'s 0.75 s start), where only the web app needs it.
_ninja = find_spec("ninja")
if _ninja is None or _ninja.origin is None:
    raise RuntimeError("django-ninja is not installed: pip install -e . (pyproject.toml lists it)")
NINJA_DIR = Path(_ninja.origin).parent
VAR_DIR = Path(env_str("TIDTAM_VAR_DIR", str(BASE_DIR / "var")))

# Off unless asked for: DEBUG pages list every URL pattern and setting. `make demo` and the
# development server turn it on; production never does.
DEBUG = env_bool("TIDTAM_DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("TIDTAM_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "tidtam.web.staticfiles.StaticFilesConfig",  # django.contrib.staticfiles, less what is unused
    "simple_history",
    "axes",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "tidtam.orgs",
    "tidtam.periods",
    "tidtam.policies",
    "tidtam.budgets",
    "tidtam.plans",
    "tidtam.progress",
    "tidtam.agreements",
    "tidtam.reports",
    "tidtam.seeds",
    "tidtam.ui",
    "tidtam.web",
    "tidtam.audit",
    "tidtam.api",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tidtam.ops",
    "tidtam.transfer",
    "tidtam.dashboard",
    "tidtam.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with far-future caching when DEBUG is off, before any middleware that reads
    # the session or the database (a stylesheet needs neither).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff verify a TOTP code before the admin opens (tidtam/audit/otp.py); always on.
    "django_otp.middleware.OTPMiddleware",
    "tidtam.audit.otp.StaffOTPMiddleware",
    # Reads the body before any view: over-size, NUL and undecodable requests get a Thai page.
    "tidtam.web.middleware.BadInputMiddleware",
    "tidtam.web.http.SessionRefreshMiddleware",
    "tidtam.web.http.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the Thai lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tidtam" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tidtam.ui.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database(env_str("DATABASE_URL"), default_sqlite=VAR_DIR / "tidtam.sqlite3"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("TIDTAM_STATIC_ROOT", str(VAR_DIR / "static")))
# `tidtam collectstatic` writes hashed, compressed copies; WhiteNoise serves them with a year's
# caching (tidtam/web/staticfiles.py says what happens before the first collectstatic).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tidtam.web.staticfiles.StaticFilesStorage"},
}
# Rendered documents are kept here for download (the web app serves them after a permission check).
MEDIA_ROOT = VAR_DIR / "media"

# Long renders run off the request: the database backend needs no extra server, only
# `manage.py db_worker` (make demo starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running render stamps its job this often; a job silent for the stale limit lost its worker
# (kill -9, a restart) and is marked failed when the documents page or `tidtam cleanup` looks.
RENDER_JOB_HEARTBEAT_SECONDS = float(env_str("TIDTAM_RENDER_HEARTBEAT_SECONDS", "10"))
RENDER_JOB_STALE_SECONDS = float(env_str("TIDTAM_RENDER_STALE_SECONDS", "120"))
# `tidtam cleanup` removes files without a row, and dead processes' temp folders, this old.
CLEANUP_MINUTES = int(env_str("TIDTAM_CLEANUP_MINUTES", "60"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "root"
# Signing out (a POST) lands on the Thai login page, never on the admin's "logged out" page.
LOGOUT_REDIRECT_URL = "login"
STATICFILES_DIRS = [BASE_DIR / "tidtam" / "static", NINJA_DIR / "static"]

# Sign-in: django-axes locks a user name out after repeated failures (per name, so that one
# office behind one address is not locked out by a colleague's typing).
# Sessions signed in before 2026-12-04 name Django's ModelBackend, which tidtam's replaced (it loads
# the person with the user): those people sign in once more.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tidtam.orgs.backends.PersonModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("TIDTAM_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(env_str("TIDTAM_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Locking by address as well would lock a whole office behind one gateway out for one typist.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after this many seconds without a request (sliding), and when the browser closes.
SESSION_COOKIE_AGE = int(env_str("TIDTAM_SESSION_SECONDS", str(8 * 60 * 60)))
# Not on every request: on SQLite each session write takes the one write lock, and on PostgreSQL
# it is a write per page view. tidtam.web.http.SessionRefreshMiddleware writes a signed-in
# session when its last write is older than this, which keeps the expiry sliding.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("TIDTAM_SESSION_REFRESH_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Password reset mails go to the console unless a deployment names an SMTP server.
EMAIL_BACKEND = env_str("TIDTAM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TIDTAM_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TIDTAM_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TIDTAM_EMAIL_USER")
# TIDTAM_EMAIL_PASSWORD, or TIDTAM_EMAIL_PASSWORD_FILE naming a file that holds it.
EMAIL_HOST_PASSWORD = env_secret("TIDTAM_EMAIL_PASSWORD")
# STARTTLS on the submission port (587), or TLS from the start (465); not both.
EMAIL_USE_TLS = env_bool("TIDTAM_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("TIDTAM_EMAIL_SSL", False)
# A mail server that does not answer must not hold a request (and a gunicorn thread) for long.
EMAIL_TIMEOUT = env_int("TIDTAM_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("TIDTAM_FROM_EMAIL", "tidtam@localhost")

# Evidence files live outside the web root and are served only through a permission check.
EVIDENCE_ROOT = VAR_DIR / "evidence"
EVIDENCE_MAX_BYTES = int(env_str("TIDTAM_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A whole request with its files (DATA_UPLOAD_MAX_MEMORY_SIZE counts only the typed fields):
# room for several evidence files at once; larger is refused with a Thai page before it is read.
REQUEST_MAX_BYTES = int(env_str("TIDTAM_REQUEST_MAX_MB", "100")) * 1024 * 1024
# Reminders go out this many days before a round's deadline, and on the day itself.
REMINDER_DAYS_BEFORE = [int(d) for d in env_list("TIDTAM_REMINDER_DAYS", ["7", "3"])]
# A fixed "today" for the demo and the browser tests (the seed year is 2567); empty in production.
DEMO_TODAY = env_str("TIDTAM_DEMO_TODAY", "")
SITE_URL = env_str("TIDTAM_SITE_URL", "http://127.0.0.1:8000")

# HTTPS: set TIDTAM_HTTPS=true once the site is reached over HTTPS (directly or through a proxy).
# Cookies are then sent only over HTTPS, plain HTTP is redirected, and browsers are told by HSTS
# to use HTTPS alone. Not tied to DEBUG: a production server tried on http://127.0.0.1 first
# must still let its operator sign in.
HTTPS = env_bool("TIDTAM_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("TIDTAM_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("TIDTAM_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("TIDTAM_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TIDTAM_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("TIDTAM_HSTS_PRELOAD", False)
# Behind a reverse proxy that ends TLS (nginx, a load balancer): trust its X-Forwarded-Proto.
# Only with a proxy that sets the header itself, or any client could claim HTTPS.
if env_bool("TIDTAM_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("TIDTAM_USE_X_FORWARDED_HOST", False)
# Origins that may post forms, when the public address differs from the Host header
# (e.g. https://tidtam.example.go.th behind a proxy that rewrites the host).
CSRF_TRUSTED_ORIGINS = env_list("TIDTAM_CSRF_TRUSTED_ORIGINS", [])
# Preloading into browsers' HSTS lists is a decision for the domain's owner (it binds every
# subdomain, for months); check --deploy cannot know it was taken, so it does not warn for it.
SILENCED_SYSTEM_CHECKS += ["security.W021"]

# Content Security Policy (django-csp): scripts and styles only from this site's own files: no
# inline script, no inline event handler, no eval (htmx's hx-on and eval are switched off in
# base.html). Bootstrap's CSS draws its icons from data: SVG images. The printable document
# pages embed their fonts (data:) and one <style> block, allowed by its hash
# (tidtam.web.http.allow_own_style_blocks); no style="" attributes anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# A cache all app servers share (rate limits, remembered reads: tidtam.bulk, the portal's pages):
# a table in the database, which `tidtam migrate` creates (tidtam.web.apps). Per-process memory
# serves the rest. Django's table keeps 300 entries by default and then drops a third of them in
# the order of their keys, whatever their age: each organisation's budget curve of the day is
# one entry, so a country's 300 organisations would drop one another's.
SHARED_CACHE_ENTRIES = env_int("TIDTAM_SHARED_CACHE_ENTRIES", 20_000)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tidtam_cache",
        "OPTIONS": {"MAX_ENTRIES": SHARED_CACHE_ENTRIES},
    },
}
# Password reset mails: at most this many per address, and per client address, in an hour.
PASSWORD_RESET_PER_EMAIL = env_int("TIDTAM_RESET_PER_EMAIL", 3)
PASSWORD_RESET_PER_IP = env_int("TIDTAM_RESET_PER_IP", 20)
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
# The REST API: requests per token (or signed-in browser) in each window, counted in the shared
# cache; a token lives at most API_TOKEN_MAX_DAYS days.
API_RATE_LIMIT = env_int("TIDTAM_API_RATE_LIMIT", 600)
API_RATE_WINDOW_SECONDS = env_int("TIDTAM_API_RATE_WINDOW_SECONDS", 60)
API_TOKEN_MAX_DAYS = env_int("TIDTAM_API_TOKEN_MAX_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TIDTAM_LOG_LEVEL", "WARNING")},
}

# The name authenticator apps show beside the staff member's account.
OTP_TOTP_ISSUER = "tidtam"

"""tidtam settings: one file, every deployment difference read from the environment."""

from __future__ import annotations

from pathlib import Path

from config.env import database, env_bool, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TIDTAM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("TIDTAM_DEBUG", True)
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("TIDTAM_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_htmx",
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
    "tidtam.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
        "DIRS": [BASE_DIR / "tidtam" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tidtam.web.navigation.navigation",
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
STATIC_ROOT = VAR_DIR / "static"
# Rendered documents are kept here for download (the web app serves them after a permission check).
MEDIA_ROOT = VAR_DIR / "media"

# Long renders run off the request: the database backend needs no extra server, only
# `manage.py db_worker` (make demo starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "progress:my_work"
# Signing out (a POST) lands on the Thai login page, never on the admin's "logged out" page.
LOGOUT_REDIRECT_URL = "login"
STATICFILES_DIRS = [BASE_DIR / "tidtam" / "static"]

# Sign-in: django-axes locks a user name out after repeated failures (per name, so that one
# office behind one address is not locked out by a colleague's typing).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Password reset mails go to the console unless a deployment names an SMTP server.
EMAIL_BACKEND = env_str("TIDTAM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TIDTAM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("TIDTAM_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env_str("TIDTAM_FROM_EMAIL", "tidtam@localhost")

# Evidence files live outside the web root and are served only through a permission check.
EVIDENCE_ROOT = VAR_DIR / "evidence"
EVIDENCE_MAX_BYTES = int(env_str("TIDTAM_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Reminders go out this many days before a round's deadline, and on the day itself.
REMINDER_DAYS_BEFORE = [int(d) for d in env_list("TIDTAM_REMINDER_DAYS", ["7", "3"])]
# A fixed "today" for the demo and the browser tests (the seed year is 2567); empty in production.
DEMO_TODAY = env_str("TIDTAM_DEMO_TODAY", "")
SITE_URL = env_str("TIDTAM_SITE_URL", "http://127.0.0.1:8000")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TIDTAM_LOG_LEVEL", "WARNING")},
}

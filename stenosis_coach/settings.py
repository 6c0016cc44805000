"""The one settings file, read from environment variables. Safe unless told otherwise:

DATABASE_URL   a database URL; a SQLite file in DATA_DIR when not given
DATA_DIR       where local data lives (default: ./data)
SECRET_KEY     generated once into DATA_DIR/secret_key when not given
DEBUG          off unless set to 1, true, yes or on
ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
CSRF_TRUSTED_ORIGINS  comma-separated origins, when served behind a proxy on another host
STATIC_ROOT    where `collectstatic` puts static files for a deployment (optional)
SECURE_COOKIES send cookies over HTTPS only (set it when serving over HTTPS)
OPEN_SIGNUP    anyone may create a patient account (default: on, for self-hosting)
EMAIL_URL      how to send e-mail, e.g. smtp://user:pass@mail.example.org:587 (default: print
               e-mails to the console)
DEFAULT_FROM_EMAIL  the sender of password-reset e-mails
SITE_URL       the address people open the app at, for links in e-mails that commands send
               (default: http://127.0.0.1:8000)
EMERGENCY_PHONE     the number the "Call" buttons on the urgent advice dial (default: 911):
               digits, with an optional + first, and spaces or dashes, e.g. "+34 112"
VAPID_PRIVATE_KEY   the push-notification key (PEM, or the raw key base64url); when not
               given, one is made once and kept in the database. VAPID_PUBLIC_KEY, if also
               given, must be its public key
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def emergency_phone(value: str | None) -> str:
    """The emergency number for the tap-to-call buttons: 911 unless set; a value that is not
    a phone number stops the server at start-up (a wrong number here could cost a life)."""
    if value is None:
        return "911"
    number = value.strip()
    if not re.fullmatch(r"\+?[0-9]+([ -][0-9]+)*", number):
        raise ImproperlyConfigured(
            f"EMERGENCY_PHONE={value!r} is not a phone number. Use digits, with an optional + "
            'first and spaces or dashes between them, for example "911", "112" or "+34 112".'
        )
    return number


def load_or_create_secret_key(data_dir: Path) -> str:
    """A random key kept in the data folder, readable by its owner alone."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


DATA_DIR = Path(os.environ.get("DATA_DIR", "data")).resolve()
SECRET_KEY = os.environ.get("SECRET_KEY") or load_or_create_secret_key(DATA_DIR)
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'stenosis-coach.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many uploads at once (a clinic's patients, a phone's queue sent on reconnect):
    # - WAL: readers never block the writer, nor the writer the readers;
    # - IMMEDIATE: a transaction takes the write lock when it begins, so it waits its turn
    #   (the busy timeout) instead of failing with "database is locked" when a read inside
    #   it turns into a write;
    # - a busy timeout long enough for a queue of uploads ahead of it;
    # - synchronous=NORMAL: safe with WAL (a power cut may lose the last commit, never
    #   corrupt the file), and much faster.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests on a file, not in memory: the browser tests' live server answers several
    # requests at once, and threads sharing one in-memory connection can stall. One file per
    # test run, so that two runs at once (say, make test and a single test) do not collide.
    test_database = DATA_DIR / f"test-stenosis-coach-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(test_database)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Our apps first, so our templates (log-in, password reset) win over the admin's.
    "stenosis_coach.patients",
    "stenosis_coach.clinic",
    "stenosis_coach.practice",
    "stenosis_coach.outcomes",
    "stenosis_coach.exports",
    "stenosis_coach.reminders",
    "stenosis_coach.fhir",
    "stenosis_coach.figures",
    "stenosis_coach.web",
    "stenosis_coach.jobs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # The job runner: Django's task framework and its queue in our database.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After log-in is known: a patient's saved language wins over the cookie and the browser.
    "stenosis_coach.patients.language.PatientLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "stenosis_coach.urls"
WSGI_APPLICATION = "stenosis_coach.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stenosis_coach.web.context.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

OPEN_SIGNUP = env_flag("OPEN_SIGNUP", default=True)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "home"

if os.environ.get("EMAIL_URL"):
    vars().update(dj_email_url.parse(os.environ["EMAIL_URL"]))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stenosis Coach <coach@localhost>")
# A mail server that does not answer gives up after 10 s (EMAIL_URL's ?timeout= wins): the
# send_email job holds its transaction (on SQLite, the write lock) while it sends.
EMAIL_TIMEOUT = vars().get("EMAIL_TIMEOUT") or 10
# The address people open the app at, for links made outside a request (a command's e-mail).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Push notifications' VAPID key pair; empty: made once and kept in the database (VapidKey),
# so every app server and worker signs with the same key (stenosis_coach/reminders/push.py).
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")

# Background jobs (e-mail, digests, reminders) wait in the database until a worker
# (`stenosis-coach worker`, started by `make run`) takes them; several workers may share one
# database. Tests use the same backend and run the queued jobs when they choose
# (stenosis_coach.jobs.testing.run_queued_jobs), so nothing runs behind their back.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# The number the urgent advice's "Call" button dials (the /urgent/ page, a red flag's advice,
# the player): set it to the emergency number where the app is used.
EMERGENCY_PHONE = emergency_phone(os.environ.get("EMERGENCY_PHONE"))

# Languages: each named in itself, as the language switch shows it. A patient's choice is
# kept in Patient.language; a new visitor gets the browser's language (Accept-Language).
# The translations live in stenosis_coach/locale/<lang>/LC_MESSAGES/django.po and are
# compiled to .mo files by `make run` and `make test` (pybabel compile).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # a visitor's choice outlasts the browser session
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves the app's own files straight from the package, so `make run` needs no
# collectstatic; a deployment may still collect them into STATIC_ROOT.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True

# Cookies and headers: safe defaults that also work on plain http://127.0.0.1.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "stenosis_coach.web.views.csrf_failure"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_flag("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""The one settings file, read from environment variables. Safe unless told otherwise:

DATABASE_URL   a database URL; a SQLite file in DATA_DIR when not given
DATA_DIR       where local data lives (default: ./data)
SECRET_KEY     generated once into DATA_DIR/secret_key when not given
DEBUG          off unless set to 1, true, yes or on
ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
CSRF_TRUSTED_ORIGINS  comma-separated origins, when served behind a proxy on another host
STATIC_ROOT    where `collectstatic` puts static files for a deployment (optional)
SECURE_COOKIES send cookies over HTTPS only (an older, narrower setting: HTTPS includes it)
HTTPS          served over HTTPS behind a proxy that sets X-Forwarded-Proto: secure cookies,
               HSTS for a year, and http:// redirected to https://
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
BACKUP_KEY     encrypts backups (`stenosis-coach backup`) when set: a Fernet key
TRUST_X_FORWARDED_FOR  count rate limits by X-Forwarded-For's first address (set it only
               behind a proxy that sets that header itself)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from stenosis_coach.private_files import make_private_dir
from stenosis_coach.web.csp import content_security_policy

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
    make_private_dir(data_dir)
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
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
    # Health data: the folder 0700 (the files in it: see private_files, on connection).
    make_private_dir(DATA_DIR)
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
    "stenosis_coach.limits",
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
    # Log-in lockout: failed log-ins counted in our database (stenosis_coach/patients/lockout.py).
    "axes",
    # Two-step sign-in (TOTP codes from an app, and recovery codes): stenosis_coach/two_step.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, before GZip: WhiteNoise sends the gzip or Brotli copy made when they
    # were collected, and an image (already compressed) as it is.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON compressed for browsers that ask (the plan: about 60 KB, 5 KB gzipped).
    # Django's GZip pads each answer at random, against BREACH on the CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    # Content-Security-Policy (stenosis_coach/web/csp.py) and Permissions-Policy on everything.
    "csp.middleware.CSPMiddleware",
    "stenosis_coach.web.security.PermissionsPolicyMiddleware",
    # After WhiteNoise, so static files keep their cache time: views answer `no-store`.
    "stenosis_coach.web.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second step (a code).
    "django_otp.middleware.OTPMiddleware",
    # After log-in is known: a patient's saved language wins over the cookie and the browser.
    "stenosis_coach.patients.language.PatientLanguageMiddleware",
    # Therapists' and clinic admins' sessions end after 30 minutes idle.
    "stenosis_coach.clinic.idle_logout.StaffIdleLogoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: answers a locked-out log-in with our own page (429).
    "axes.middleware.AxesMiddleware",
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
    # Our rules, in our words (stenosis_coach/patients/passwords.py).
    {"NAME": "stenosis_coach.patients.passwords.NotTooLikeTheEmail"},
    {"NAME": "stenosis_coach.patients.passwords.LongEnough"},
    {"NAME": "stenosis_coach.patients.passwords.NotOnlySpaces"},
    {"NAME": "stenosis_coach.patients.passwords.NotCommon"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in lockout (django-axes): 5 wrong passwords for one account, or from one address, lock
# it for 15 minutes. Kept in the database, so it holds across processes and app servers.
# An admin lifts it with `stenosis-coach axes_reset_username EMAIL`; a password reset by
# e-mail lifts it too (stenosis_coach/patients/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "stenosis_coach.patients.lockout.locked_out_page"
# The client's address as the rate limits count it (REMOTE_ADDR, or X-Forwarded-For behind a
# proxy with TRUST_X_FORWARDED_FOR): behind a proxy, axes would otherwise see one address.
AXES_CLIENT_IP_CALLABLE = "stenosis_coach.limits.keys.client_address"
AXES_VERBOSE = False

OPEN_SIGNUP = env_flag("OPEN_SIGNUP", default=True)

# Rate limits (stenosis_coach/limits): scope -> (hits allowed, in a window of this many
# seconds from the first hit), counted in the database so every app server shares them.
# Uploads: 60 a minute, so a phone's outbox after weeks offline empties in one go.
RATE_LIMITS = {
    "signup": (20, 60 * 60),  # per client address (a clinic's Wi-Fi is one address)
    "password-reset-address": (10, 60 * 60),
    "password-reset-email": (3, 60 * 60),  # per e-mail asked for
    "delete-account": (5, 15 * 60),  # per account: tries with a password
    "two-step-confirm": (5, 15 * 60),  # per account: new recovery codes, turning it off
    "join-address": (60, 60 * 60),  # invitation codes looked up
    "join-account": (20, 60 * 60),
    "upload": (60, 60),  # per patient: sessions and pain answers together
    "test-push": (1, 30),  # per patient: it is only a test
}
# Behind a proxy that sets X-Forwarded-For itself: count by its first address, not by
# REMOTE_ADDR (which is then the proxy's). Off by default: a client can write that header.
TRUST_X_FORWARDED_FOR = env_flag("TRUST_X_FORWARDED_FOR")
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

# `stenosis-coach backup` encrypts its file with this key (Fernet) and `restore` needs it;
# empty: backups are plain files. Keep it apart from the backups it opens.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")

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
# `stenosis-coach collectstatic` (run by `make run`, `make dev` and the tests) copies the
# static files here with their contents' hash in each name (site.3f2a9c.css), and a gzip
# and a Brotli copy beside each; WhiteNoise serves them, the hashed names with a cache that
# never needs checking, as a new version has a new name (stenosis_coach/web/static_files.py).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "static").resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "stenosis_coach.web.static_files.HashedCompressedStaticFiles"},
}
# With DEBUG (make dev), a file is served from where it is edited, under its plain name.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Cookies and headers: safe defaults that also work on plain http://127.0.0.1.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "stenosis_coach.web.views.csrf_failure"
# HTTPS=1: served over HTTPS behind a proxy, which must set X-Forwarded-Proto itself (and
# drop one a client sent). SECURE_COOKIES alone, the older setting, still works.
HTTPS = env_flag("HTTPS")
SECURE_COOKIES = HTTPS or env_flag("SECURE_COOKIES")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# HSTS preload (a promise to every browser maker, hard to take back, that the whole domain
# serves HTTPS for good) is the domain owner's decision, not the app's: off, and its check
# silenced so that `check --deploy` stays quiet.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
CONTENT_SECURITY_POLICY = content_security_policy()
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings shared by every environment; read from THIDUA_* environment variables."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def data_home() -> Path:
    """The data folder: THIDUA_HOME, else ~/.local/share/thidua. Created on first use."""
    home = Path(os.environ.get("THIDUA_HOME") or Path.home() / ".local" / "share" / "thidua")
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_from_url(url: str) -> dict[str, object]:
    """Translate THIDUA_DATABASE_URL (postgres://user:pass@host:port/name, or
    sqlite:////absolute/path.sqlite3 for a database outside THIDUA_HOME) to a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"THIDUA_DATABASE_URL: unsupported scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        # a kept connection is checked before each request: after PostgreSQL restarts, the
        # first request reconnects instead of failing
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": os.environ.get("THIDUA_TEST_DATABASE_NAME") or None},
        # behind PgBouncer in transaction mode (docs/pgbouncer/): a named cursor of
        # `.iterator()` would outlive its transaction on a server connection shared with others
        "DISABLE_SERVER_SIDE_CURSORS": os.environ.get("THIDUA_DATABASE_POOL") == "pgbouncer",
    }


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL + IMMEDIATE: readers never block the writer, and two writers queue instead of
        # failing with "database is locked" half-way through a transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # a 256 MB page cache and memory-mapped reads: subtree figures over a million
            # members went from 9,7 s to 5,7 s (bench/bench_counts.py)
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824;"
            ),
        },
    }


def secret_key(home: Path) -> str:
    if key := os.environ.get("THIDUA_SECRET_KEY"):
        return key
    path = home / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


HOME = data_home()
SECRET_KEY = secret_key(HOME)
DEBUG = env_bool("THIDUA_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("THIDUA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # for its templates and static files: /api/docs then serves Swagger UI from this app,
    # not from a CDN (installations without internet; the CSP allows only our own scripts)
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "axes",
    "thidua.platform",
    "thidua.audit",
    "thidua.accounts",
    "thidua.org",
    "thidua.people",
    "thidua.councils",
    "thidua.movements",
    "thidua.evaluation",
    "thidua.initiatives",
    "thidua.honours",
    "thidua.reports",
    "thidua.clusters",
    "thidua.web",
    "thidua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "thidua.platform.staticfiles.StaticFilesMiddleware",  # whitenoise
    # outside the session: a session saved at the end of a request is a write too
    "thidua.platform.dbrouter.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "thidua.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "thidua.platform.middleware.SecurityHeadersMiddleware",
    "thidua.platform.middleware.NotFoundMiddleware",
    "thidua.platform.middleware.UnavailableMiddleware",
    # axes must be last: it turns a locked-out login into HTTP 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thidua.web.context_processors.nav",
            ],
            "builtins": ["thidua.platform.templatetags.vn"],
        },
    }
]

if os.environ.get("THIDUA_DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["THIDUA_DATABASE_URL"])}
else:
    DATABASES = {"default": sqlite_database(HOME / "thidua.sqlite3")}

# A streaming replica (ADR 0028, docs/scaling.md): the dashboard, report and list pages read from
# it; writes, and a user's reads for THIDUA_REPLICA_PIN_SECONDS after their own write, go to the
# primary. Its URL may leave out the database name (the primary's is used).
if os.environ.get("THIDUA_REPLICA_URL") and str(DATABASES["default"]["ENGINE"]).endswith(
        "postgresql"):
    DATABASES["replica"] = database_from_url(os.environ["THIDUA_REPLICA_URL"])
    DATABASES["replica"]["NAME"] = DATABASES["replica"]["NAME"] or DATABASES["default"]["NAME"]
DATABASE_ROUTERS = ["thidua.platform.dbrouter.ReplicaRouter"]
THIDUA_REPLICA_PIN_SECONDS = float(os.environ.get("THIDUA_REPLICA_PIN_SECONDS", 10))
THIDUA_REPLICA_RETRY_SECONDS = float(os.environ.get("THIDUA_REPLICA_RETRY_SECONDS", 5))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (thidua/accounts/throttle.py): 5 failures for one username from one address
# lock that pair for 30 minutes (never a username alone: nobody locks another person out);
# THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, refuse
# that address for the same 30 minutes (password spraying). The address is REMOTE_ADDR.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "thidua.accounts.throttle.client_address"
THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT", 30))
# API tokens expire after this many days unless created with another duration.
THIDUA_API_TOKEN_DAYS = int(os.environ.get("THIDUA_API_TOKEN_DAYS", 90))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# where `thidua serve` collects the static files; nginx may serve them from there
# (docs/nginx/thidua.conf), so it may be a folder outside the private THIDUA_HOME
STATIC_ROOT = Path(os.environ.get("THIDUA_STATIC_ROOT") or HOME / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# hashed names and a year of browser cache once collected (`thidua serve` collects at start);
# files not collected yet are still found in the apps' folders (WHITENOISE_USE_FINDERS)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "thidua.platform.staticfiles.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
# The reverse proxy's address as the app server sees it (e.g. 127.0.0.1): `thidua serve` then
# takes X-Forwarded-Proto/-For/-Host from it (docs/deployment.md). Empty: no proxy.
THIDUA_TRUSTED_PROXY = os.environ.get("THIDUA_TRUSTED_PROXY", "").strip()
# Uploaded files (attachments, templates, roster imports), named relative to this folder in the
# database. Several app servers share one folder (NFS or another shared mount) through this.
MEDIA_ROOT = Path(os.environ.get("THIDUA_MEDIA_ROOT") or HOME / "media")
# Personal data (uploaded rosters, dossiers, certificates): readable by the app's own account only
# (Nghị định 13/2023/NĐ-CP, Điều 26: measures protecting personal data). The SQLite file and its
# -wal/-shm get 0600 on every connection (`thidua.platform.privacy`).
MEDIA_ROOT.mkdir(mode=0o700, parents=True, exist_ok=True)
# a shared mount owned by another account: its owner sets the mode
with contextlib.suppress(PermissionError):
    MEDIA_ROOT.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# database sessions that refuse a cookie with a NUL character (a 500 on PostgreSQL otherwise)
SESSION_ENGINE = "thidua.platform.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "thidua.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads: anything above this is refused before it is read (people/views_import.py).
THIDUA_MAX_UPLOAD_BYTES = int(os.environ.get("THIDUA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# The first year any record may be about (evaluations, movements, initiatives, awards); the
# last is next year. Earlier history (e.g. titles of the 1990s) needs a lower value.
THIDUA_FIRST_YEAR = int(os.environ.get("THIDUA_FIRST_YEAR", 2000))
# Personal data (Nghị định 13/2023/NĐ-CP). A person who left (no open employment or membership)
# keeps their CCCD, phone, e-mail and date of birth this many years after their last period
# ended; then `thidua people_retention --apply` removes them (Điều 16: data are deleted when the
# purpose of processing has ended; the union's record-keeping is the purpose here, the years are
# the unit's retention policy). Their name and periods stay: decisions and award registers are
# public records and must still print the holder's name.
THIDUA_RETENTION_YEARS_AFTER_LEAVING = int(
    os.environ.get("THIDUA_RETENTION_YEARS_AFTER_LEAVING", 5))
# How many times a day one user may be told "this CCCD belongs to someone another unit manages"
# (forms, API and imports, dry runs included): each answer tells that a number exists, so the
# roster must not be a way to test numbers in bulk.
THIDUA_CCCD_CONFLICTS_PER_DAY = int(os.environ.get("THIDUA_CCCD_CONFLICTS_PER_DAY", 20))
# How many whole 12-digit CCCD searches a day one user may make for numbers they may not read
# (masked for them): each tells whether the number is someone's in their view.
THIDUA_CCCD_LOOKUPS_PER_DAY = int(os.environ.get("THIDUA_CCCD_LOOKUPS_PER_DAY", 30))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Spreadsheet guards: a file that unpacks beyond this, a sheet whose XML unpacks beyond the
# second (a 250.000-row roster takes ~90–130 MB), or more rows, is refused (sheets are streamed:
# memory stays flat, time grows with the sheet).
THIDUA_MAX_UNPACKED_BYTES = int(os.environ.get("THIDUA_MAX_UNPACKED_BYTES", 300 * 1024 * 1024))
THIDUA_MAX_SHEET_BYTES = int(os.environ.get("THIDUA_MAX_SHEET_BYTES", 200 * 1024 * 1024))
THIDUA_MAX_IMPORT_ROWS = int(os.environ.get("THIDUA_MAX_IMPORT_ROWS", 250_000))

# Attachments of movements and initiatives; types are checked by their bytes, not their names.
THIDUA_MAX_ATTACHMENT_BYTES = int(os.environ.get("THIDUA_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))
# Recognising an initiative needs this share of ALL council members (TT 18/2013/TT-BKHCN Điều 8,
# NĐ 13/2012/NĐ-CP); a union may set its own in its rules.
THIDUA_INITIATIVE_VOTE_THRESHOLD = "2/3"
# The novelty panel shows an earlier initiative when it is at least this similar (%). Calibrated
# on the labelled pairs (initiatives/tests/data/similarity_pairs.json) searched among 3.000
# distractors, k = 10 (python -m thidua.initiatives.similarity.evaluate; ADR 0008, issue 8):
#   ≥ 60: 648 shown, precision 0,127 (same or related), recall (same) 0,973 — the old floor:
#         unrelated initiatives at 60–63 % filled the panel
#   ≥ 66: 216 shown, precision 0,347, recall (same) 0,959
#   ≥ 70: 76 shown, precision 0,868 (same or related) / 0,842 (same), recall (same) 0,865
#   ≥ 72: 58 shown, precision 0,983 (same or related) / 0,966 (same), recall (same) 0,757   <- chosen
#   ≥ 75: 34 shown, precision 1,000, recall (same) 0,459
THIDUA_NOVELTY_MIN_PERCENT = int(os.environ.get("THIDUA_NOVELTY_MIN_PERCENT", 72))

# Issuers' signing keys (docs/signing.md): code -> {"pkcs12": path, "passphrase_file": path}
# or {"remote": "dotted.path.Factory", "options": {...}}; else <THIDUA_SIGNING_DIR>/<code>.p12
# with its passphrase in <code>.pass (both mode 0600); else documents are printed unsigned.
THIDUA_SIGNING_DIR = Path(os.environ.get("THIDUA_SIGNING_DIR") or HOME / "signing")
THIDUA_SIGNING_KEYS: dict[str, dict[str, object]] = {}

# The audit trail (docs/deployment.md, ADR 0015): its HMAC key is THIDUA_AUDIT_KEY, else this
# file (created on first use, mode 0600; keep a copy apart from the backups); checkpoints of the
# chain's head go to THIDUA_AUDIT_DIR (in every backup; storage all app servers share), at most
# one per THIDUA_AUDIT_CHECKPOINT_SECONDS per process.
THIDUA_AUDIT_KEY_FILE = HOME / "audit.key"
THIDUA_AUDIT_DIR = Path(os.environ.get("THIDUA_AUDIT_DIR") or HOME / "audit")
THIDUA_AUDIT_CHECKPOINT_SECONDS = float(os.environ.get("THIDUA_AUDIT_CHECKPOINT_SECONDS", 1))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task whose worker (`thidua manage worker`) stopped beating this long ago, or whose process
# is gone, is failed and its job offered to run again; a task of a worker that keeps no beat
# (plain `db_worker`) after the timeout (platform/worker.py).
THIDUA_WORKER_STALE_SECONDS = float(os.environ.get("THIDUA_WORKER_STALE_SECONDS", 120))
THIDUA_TASK_TIMEOUT_SECONDS = float(os.environ.get("THIDUA_TASK_TIMEOUT_SECONDS", 6 * 3600))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Certificates (issue 9 §5): the address printed in the QR code and beside the short code, the
# emblem printed at the top (PNG, JPG or SVG; blank: the project's own drawing), and the public
# verification's rate limit per client address (lookups per window of seconds).
THIDUA_PUBLIC_URL = os.environ.get("THIDUA_PUBLIC_URL", "http://127.0.0.1:8000")
THIDUA_CERTIFICATE_EMBLEM = os.environ.get("THIDUA_CERTIFICATE_EMBLEM", "")
THIDUA_VERIFY_LIMIT = int(os.environ.get("THIDUA_VERIFY_LIMIT", 30))
THIDUA_VERIFY_WINDOW = int(os.environ.get("THIDUA_VERIFY_WINDOW", 600))

# Processes judging a whole roster's year-end results (evaluation.services.titles): the engine
# runs in that many forked workers while the next batch of facts is read. 1 keeps it in the
# request's process; a task worker on a multi-core machine may set its core count (ADR 0029).
THIDUA_ENGINE_WORKERS = int(os.environ.get("THIDUA_ENGINE_WORKERS", 1))

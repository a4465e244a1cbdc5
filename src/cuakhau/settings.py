"""Settings, read from the environment (12-factor).

DATABASE_URL   unset: SQLite (WAL) at var/cuakhau.sqlite3; else e.g. postgres://user@host:5432/db
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" to enable; off by default
ALLOWED_HOSTS  comma-separated; defaults to localhost names when DEBUG is on
CUAKHAU_VAR_DIR  where the SQLite file, uploads and generated keys live (default ./var)
EMAIL_HOST     SMTP server for notifications (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
               EMAIL_USE_TLS); unset: messages are written as files under var/mail, none is lost
"""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CUAKHAU_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _local_secret_key() -> str:
    """A random key kept under var/ for a one-machine install; production sets SECRET_KEY."""
    import secrets

    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()


# --- personal data (docs/personal-data.md) -------------------------------------------------------
# CUAKHAU_DATA_KEY: base64 of 32 random bytes sealing ID numbers at rest (AES-256-GCM), id
# CUAKHAU_DATA_KEY_ID (default "1"); CUAKHAU_DATA_OLD_KEYS "id:base64,..." still open older rows until
# `cuakhau personal-data rekey` has run. Unset (dev/test): a key generated once under var/data_key,
# and `check --deploy` warns.
def _data_keys() -> tuple[str, dict[str, bytes]]:
    import base64
    import secrets

    key_id = os.environ.get("CUAKHAU_DATA_KEY_ID", "1").strip() or "1"
    raw = os.environ.get("CUAKHAU_DATA_KEY", "").strip()
    if not raw:
        path = VAR_DIR / "data_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        raw = path.read_text().strip()
    keys = {}
    for item in env_list("CUAKHAU_DATA_OLD_KEYS", []):
        old_id, _, old = item.partition(":")
        keys[old_id.strip()] = base64.b64decode(old.strip())
    keys[key_id] = base64.b64decode(raw)
    if any(len(k) != 32 for k in keys.values()):
        raise RuntimeError("CUAKHAU_DATA_KEY and CUAKHAU_DATA_OLD_KEYS must be base64 of 32 bytes")
    return key_id, keys


PERSONAL_DATA_KEY_ID, PERSONAL_DATA_KEYS = _data_keys()
PERSONAL_DATA_KEY_FROM_ENV = bool(os.environ.get("CUAKHAU_DATA_KEY"))
# How long personal data is kept, in days after the record's last activity (docs/personal-data.md).
PERSONAL_DATA_RETENTION_DAYS = {
    "parties.driver": int(os.environ.get("CUAKHAU_RETAIN_DRIVER_DAYS", 5 * 365)),
    "procedures.dossier": int(os.environ.get("CUAKHAU_RETAIN_DOSSIER_DAYS", 10 * 365)),
    "incidents.incident": int(os.environ.get("CUAKHAU_RETAIN_INCIDENT_DAYS", 2 * 365)),
    "auctions.registration": int(os.environ.get("CUAKHAU_RETAIN_BIDDER_DAYS", 10 * 365)),
}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "cuakhau.core",
    "cuakhau.gates",
    "cuakhau.parties",
    "cuakhau.fees",
    "cuakhau.traffic",
    "cuakhau.incidents",
    "cuakhau.cooperation",
    "cuakhau.trade",
    "cuakhau.reports",
    "cuakhau.plans",
    "cuakhau.procedures",
    "cuakhau.assets",
    "cuakhau.auctions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cuakhau.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cuakhau.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cuakhau.core.middleware.SecurityHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cuakhau.core.login_policy.LoginPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cuakhau.core.middleware.SessionIdleTimeoutMiddleware",
    # After the idle timeout (an expired session is already signed out): the second factor's gate.
    "cuakhau.core.twofactor.TwoFactorMiddleware",
]

ROOT_URLCONF = "cuakhau.urls"
WSGI_APPLICATION = "cuakhau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cuakhau.core.context_processors.navigation",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "cuakhau.sqlite3",
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# When audit events join the hash chain: "commit" seals them right after each transaction commits,
# before the response (the default: commands, tasks, tests, runserver); "background" wakes one sealer
# thread per process, which waits AUDIT_SEAL_GATHER_MS for the commits that follow and seals them in one
# batch (what the production server runs, deploy/gunicorn.conf.py; see docs/architecture.md).
AUDIT_SEAL = os.environ.get("AUDIT_SEAL", "commit")
AUDIT_SEAL_GATHER_MS = float(os.environ.get("AUDIT_SEAL_GATHER_MS", "100"))
# The chain's head is published by `cuakhau audit anchor` (hourly, and --daily at day end): e-mailed to
# these addresses (the inspectors'; comma-separated) and, when AUDIT_TSA_URL names an RFC 3161
# timestamp authority, stamped by it (core.anchors).
AUDIT_ANCHOR_EMAILS = [a.strip() for a in os.environ.get("AUDIT_ANCHOR_EMAILS", "").split(",") if a.strip()]
AUDIT_TSA_URL = os.environ.get("AUDIT_TSA_URL", "")

# --- auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "core:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every password check goes through the login policy (core.login_policy, docs/security.md): failures
# within the window are counted by address (a hard limit, answered with Retry-After) and by account (after
# LOGIN_FAILURE_LIMIT, a delay that doubles from LOGIN_DELAY_SECONDS up to LOGIN_DELAY_MAX_SECONDS); a
# browser the account has signed in from is judged by its own failures only, so no one is locked out by
# someone else's attempts.
AUTHENTICATION_BACKENDS = ["cuakhau.core.auth_backend.LoginPolicyBackend"]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_DELAY_SECONDS = int(os.environ.get("LOGIN_DELAY_SECONDS", "30"))
LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("LOGIN_DELAY_MAX_SECONDS", "900"))
LOGIN_DEVICE_COOKIE_DAYS = int(os.environ.get("LOGIN_DEVICE_COOKIE_DAYS", "180"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
# Idle staff sessions end after this many seconds without a request.
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", "1800"))
SESSION_COOKIE_AGE = 12 * 3600

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), ("zh-hans", "中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["cuakhau.formats"]
USE_THOUSAND_SEPARATOR = True

# --- static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- background tasks ---------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- uploads and imports (core.uploads; docs/security.md "Uploads and imports") ----------------------
# Every xlsx/csv upload is checked against these before it is parsed, and parsed before any transaction
# opens: the file's size, an xlsx's summed uncompressed size and compression ratio (zip bombs), and the
# rows and columns scanned. Uploads of more than UPLOAD_BACKGROUND_ROWS rows run in the background worker.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1000 * 1000)))
UPLOAD_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("UPLOAD_MAX_UNCOMPRESSED_BYTES", str(50 * 1000 * 1000)))
UPLOAD_MAX_ZIP_RATIO = int(os.environ.get("UPLOAD_MAX_ZIP_RATIO", "100"))
UPLOAD_MAX_ROWS = int(os.environ.get("UPLOAD_MAX_ROWS", "5000"))
UPLOAD_MAX_COLUMNS = int(os.environ.get("UPLOAD_MAX_COLUMNS", "50"))
UPLOAD_BACKGROUND_ROWS = int(os.environ.get("UPLOAD_BACKGROUND_ROWS", "500"))
# Trade statistics series and bank statements are longer files by nature (a year of figures by gate,
# flow and HS chapter; a month of transfers): their own row limits.
TRADE_IMPORT_MAX_ROWS = int(os.environ.get("TRADE_IMPORT_MAX_ROWS", "200000"))
TRADE_IMPORT_MAX_BYTES = int(os.environ.get("TRADE_IMPORT_MAX_BYTES", str(20 * 1000 * 1000)))
STATEMENT_MAX_ROWS = int(os.environ.get("STATEMENT_MAX_ROWS", "20000"))

# The fees app's covering index (issued_on INCLUDE amount) is for PostgreSQL; on SQLite it is a plain index.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- e-mail (dossier notifications, reminders) ---------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cuakhau <no-reply@localhost>")

# --- caches (login throttling lives in the database, so a plain local cache is enough) ----------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- security -----------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies you run in front of the application, each appending the address it received
# from to X-Forwarded-For. The client's address (audit log, login throttling, public rate limits) is
# the entry that many places from the right; what the client wrote to the left of it is ignored.
# 0 (the default): the header is ignored and the connection's address is the client's.
# TRUST_X_FORWARDED_FOR=1, the older switch, means one proxy.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT") or (1 if env_bool("TRUST_X_FORWARDED_FOR", False) else 0)
)
if TRUSTED_PROXY_COUNT < 0:
    raise ValueError("TRUSTED_PROXY_COUNT must be 0 or more")
# Public endpoints: attempts per client address (IPv6 by its /64) per hour (core.throttle).
PUBLIC_LOOKUPS_PER_HOUR = int(os.environ.get("PUBLIC_LOOKUPS_PER_HOUR", "30"))
# The address the public reaches this installation at, for links printed on paper (receipt and slip QR
# codes, feedback links), e.g. https://cuakhau.langson.gov.vn. Empty: links are site-relative paths.
PUBLIC_BASE_URL = os.environ.get("CUAKHAU_PUBLIC_URL", "").rstrip("/")
# Response headers (docs/security.md, "Content-Security-Policy and headers"). Scripts and styles come
# from this site's own files only: no inline <script>, no style="" and no event-handler attributes in a
# page (tests/core/test_csp.py walks the templates). QR codes are inline SVG; data: images are allowed
# for what a script draws (Chart.js) and for the API docs' icons.
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
    },
}
# Browser features no page uses are off; the public incident report may ask for the position.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Pages send the CSRF token in the form (and htmx in a header from the page), never read from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No ID or phone number in full in a log line or an error report (docs/personal-data.md).
    "filters": {"personal_data": {"()": "cuakhau.core.personal_data.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- the zone this installation runs -------------------------------------------------------------
ZONE_NAME = os.environ.get("CUAKHAU_ZONE_NAME", "Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn")
BOARD_NAME = os.environ.get("CUAKHAU_BOARD_NAME", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn")
PROVINCE_NAME = os.environ.get("CUAKHAU_PROVINCE_NAME", "Lạng Sơn")
# The same names in the other interface languages (shown on English and Chinese pages).
ZONE_NAMES = {
    "vi": ZONE_NAME,
    "en": os.environ.get("CUAKHAU_ZONE_NAME_EN", "Dong Dang – Lang Son Border Gate Economic Zone"),
    "zh-hans": os.environ.get("CUAKHAU_ZONE_NAME_ZH", "同登–谅山边境口岸经济区"),
}
BOARD_NAMES = {
    "vi": BOARD_NAME,
    "en": os.environ.get(
        "CUAKHAU_BOARD_NAME_EN", "Dong Dang – Lang Son Border Gate Economic Zone Management Board"
    ),
    "zh-hans": os.environ.get("CUAKHAU_BOARD_NAME_ZH", "同登–谅山边境口岸经济区管理委员会"),
}

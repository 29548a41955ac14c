"""Settings for Thrive EDI, read from environment variables.

Every variable is listed in the README. Development: ``DEBUG=1``. Production refuses to
start without ``SECRET_KEY``.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Addresses or networks, comma-separated (10.0.0.0/8); anything else refuses to start."""
    values = env_list(name, [])
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list addresses or networks (10.0.0.0/8), not {value!r}."
            ) from None
    return values


def env_database(name: str, default: str, **options) -> dict:
    """The database at the URL in ``name``; unset or empty, the one at ``default``."""
    return dj_database_url.parse(env_str(name).strip() or default, **options)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Thrive EDI will not start with DEBUG off and no SECRET_KEY: "
            "set SECRET_KEY to a long random string (50+ characters), or set DEBUG=1 for local "
            "development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "thrive_edi.admin_site.ThriveAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "simple_history",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "thrive_edi",
    "frameworks",
    "places",
    "assessments",
    "outcomes",
    "reporting",
    "pledges",
    "publication",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "thrive_edi.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "thrive_edi.two_factor.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thrive_edi.urls"
WSGI_APPLICATION = "thrive_edi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["thrive_edi.templatetags.people"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thrive_edi.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, any URL dj-database-url understands otherwise
# (postgres://user:password@host:5432/name).
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication and passwords.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "thrive_edi.backends.RoleReadingBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# ---------------------------------------------------------------------------------------------
# Access control: client addresses, sign-in limits and rate limits (one block, kept together).
# ---------------------------------------------------------------------------------------------
# The reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated
# (TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8). Empty: the client is the address the request came from.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# Sign-in throttling (django-axes, thrive_edi.throttling): a username is paused from one address
# after 5 failures, for 15 minutes; an address after 50 failures across usernames (password
# spraying). Attempts during a pause are not counted, so the right password never extends it.
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 50
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "thrive_edi.addresses.client_ip"
AXES_HANDLER = "thrive_edi.throttling.AddressLimitHandler"
AXES_LOCKOUT_CALLABLE = "thrive_edi.throttling.locked_out"
AXES_VERBOSE = False

# Rate limits (django-ratelimit through thrive_edi.throttling.rate_limit), "count/period".
RATE_LIMITS = {
    "sign_in": "60/m",  # sign-in posts per address
    "password_reset_address": "5/15m",  # reset requests per address
    "password_reset_account": "3/h",  # reset requests per email address asked for
    "verify": "10/5m",  # PDF verifications per address
    "board_pack": "10/h",  # board packs made per person
    "community_feedback": "5/h",  # feedback posts on the public register per address
}
# The shared cache the limits are counted in, so they hold across app servers: a table in the
# database by default (made by migrate), Redis with CACHE_URL=redis://host:6379/0. Never the
# memory of one process.
CACHE_URL = env_str("CACHE_URL").strip()
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "thrive_edi.redis_cache.SharedClientRedisCache", "LOCATION": CACHE_URL}}
elif not CACHE_URL or CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "thrive_edi_cache",
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be empty (the database), db://TABLE or redis://HOST:PORT/DB, not {CACHE_URL!r}."
    )
# The database's counts are not atomic: a burst of simultaneous requests may get one or two more
# through than the limit. Redis counts exactly. (django-ratelimit is used as a library, not an
# app: its system checks know neither of these Django backends.)
# --------------------------------------------------------------------------- end access control

# Personal data: how long records about people are kept (days), applied by
# ``manage.py apply_retention`` (thrive_edi.personal_data) and stated on the privacy notice.
# Failed sign-in records: django-axes' failed attempts and lock-outs.
RETENTION_FAILED_SIGN_IN_DAYS = env_int("RETENTION_FAILED_SIGN_IN_DAYS", 90)
# Audit lines held in the database: django-axes' sign-in log (who signed in, when, from where).
RETENTION_AUDIT_LOG_DAYS = env_int("RETENTION_AUDIT_LOG_DAYS", 365)
# Contact details left with community feedback, wherever the service collects them.
RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS = env_int("RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS", 365)

# ---------------------------------------------------------------------------------------------
# Metrics (django-prometheus, thrive_edi.metrics): /metrics answers only to the listed addresses
# or networks (the client's address as the sign-in limits see it, through TRUSTED_PROXIES) and
# to "Authorization: Bearer METRICS_TOKEN"; everybody else gets 404. Neither set: nobody.
METRICS_ALLOWED_ADDRESSES = env_networks("METRICS_ALLOWED_ADDRESSES")
METRICS_TOKEN = env_str("METRICS_TOKEN").strip()
INSTALLED_APPS.append("django_prometheus")
# Request latency by view: timed from the first middleware to the last.
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# Database queries counted by PostgreSQL's backend, wrapped (the SQLite file keeps Django's own:
# tools such as pytest-django recognise SQLite by its backend's name).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
# --------------------------------------------------------------------------------- end metrics

# Multi-factor sign-in (django-otp): an authenticator app's time-based codes, and recovery codes.
# Approvers and Admins must give one after their password, everyone else once they have set it
# up (thrive_edi.two_factor). A wrong code makes the next try wait 1, 2, 4, 8... seconds.
OTP_TOTP_ISSUER = "Thrive EDI"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions: signed out after 30 idle minutes, and 12 hours after signing in whatever happens.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_WARNING_BEFORE = 2 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Transport and browser security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "thrive_edi.views.pages.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Hardening (OWASP ASVS 5.0 level 2): demo users, caching of private pages, headers, cookies,
# passwords. Kept together here, each line saying what it adds to the settings above.

# /healthz is answered before the session and the user are read (from the database), so that it
# says 503, not 500, when the database is down, even to a client that sends a session cookie.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "thrive_edi.middleware.HealthCheckMiddleware",
)

# Every signed-in response is marked no-store (pages, exports, PDFs, board packs); it needs the
# signed-in user, so it runs after AuthenticationMiddleware.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "thrive_edi.middleware.PrivateResponsesNotCachedMiddleware",
)

# Passwords: besides Django's rules above (its similarity validator compares with the username,
# names and email), none may hold the person's name, username or email, the service's name, or a
# run of repeated or sequential characters.
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "thrive_edi.passwords.PersonalInformationValidator"},
    {"NAME": "thrive_edi.passwords.ServiceNameValidator"},
    {"NAME": "thrive_edi.passwords.RepeatedOrSequentialCharactersValidator"},
]

# Cookies sent only over HTTPS carry the __Host- prefix: the browser then refuses them unless
# they are secure, for the whole site and this host only (no Domain), so neither a sibling
# subdomain nor plain HTTP can plant or overwrite them.
if SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Permissions-Policy (django-permissions-policy): every browser feature the app does not use is
# denied to it and to anything it might embed.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}

# End of the hardening settings.

# Internationalisation.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# Static files: GOV.UK Frontend and the project's own assets, built by `npm run build`
# into static/build, collected and served by WhiteNoise with hashed names.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Evidence files attached to assessments: the largest accepted, in bytes (20 MB). Keep the web
# server's own limit (nginx's client_max_body_size) a little above it.
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# Forms.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# The GOV.UK class of each widget; QuickSelect (thrive_edi.forms) is a select drawn without templates.
CRISPY_CLASS_CONVERTERS = {"quickselect": "govuk-select"}

# Email: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Thrive EDI <no-reply@thrive-edi.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Named on the accessibility statement: where people report a problem or ask for another format.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "accessibility@thrive-edi.localhost")
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE")

# Background tasks (Django's Tasks API): run at once by default; a database queue
# with `manage.py db_worker` in production (TASKS_BACKEND=database).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env_str("TASKS_BACKEND") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# Logging: one JSON object per line on standard error.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "thrive_edi.logging.JsonFormatter"}},
    "filters": {"not_refusals": {"()": "thrive_edi.logging.NotRefusals"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # django-axes logs every attempt at INFO; our own security events say it once.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each rendering step at INFO; its warnings (missing glyphs) stay.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "thrive_edi.security": {"level": "INFO"},
        # A refusal (403) is logged once, by the view that draws it (thrive_edi.security).
        "django.request": {"filters": ["not_refusals"]},
        "django.security.csrf": {"filters": ["not_refusals"]},
    },
}

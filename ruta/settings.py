"""Ruta's one settings module. Everything that differs between deployments is read from the
environment through the strict helpers in ``ruta.core.env``; a bad value stops start-up with a
message naming the variable."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

import dj_database_url
import dj_email_url
import django_stubs_ext
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ruta.core.env import env_bool, env_int, env_list, env_str

# Lets typed generics such as ``admin.ModelAdmin[Model]`` be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
(BASE_DIR / "var").mkdir(exist_ok=True)  # SQLite file, media, collected static

DEBUG = env_bool("DEBUG", False)
# A deployment names its database (DATABASE_URL, PostgreSQL in production) and must then provide every
# secret. Without one, Ruta runs embedded on a local SQLite file — development, demos and one-off
# commands such as `manage.py screen` — where secrets fall back to development values.
EMBEDDED = DEBUG or not (os.environ.get("DATABASE_URL") or os.environ.get("DATABASE_URL_FILE"))
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-never-use-in-production" if EMBEDDED else None)
if not EMBEDDED and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long outside development.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if EMBEDDED else [])
if not EMBEDDED and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required outside development (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _encryption_keys() -> list[bytes]:
    raw = env_list("FIELD_ENCRYPTION_KEYS", [])
    if not raw:
        if not EMBEDDED:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS is required outside development: comma-separated url-safe base64 "
                "32-byte keys; the first encrypts, all decrypt. Generate one with "
                "`python manage.py generate_encryption_key`."
            )
        # Development only: a stable key derived from the development SECRET_KEY.
        return [hashlib.sha256(("field-encryption:" + SECRET_KEY).encode()).digest()]
    keys = []
    for position, item in enumerate(raw, start=1):
        try:
            key = base64.urlsafe_b64decode(item.encode() + b"=" * (-len(item) % 4))
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key {position} is not url-safe base64.") from exc
        if len(key) != 32:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} must decode to 32 bytes, not {len(key)}."
            )
        keys.append(key)
    return keys


FIELD_ENCRYPTION_KEYS = _encryption_keys()

INSTALLED_APPS = [
    "ruta.core.apps.RutaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ruta.core",
    "ruta.policy",
    "ruta.geo",
    "ruta.institutions",
    "ruta.accounts",
    "ruta.audit",
    "ruta.jobs",
    "ruta.notifications",
    "ruta.deadlines",
    "ruta.screening",
    "ruta.competencies",
    "ruta.instruments",
    "ruta.alerts",
    "ruta.persons",
    "ruta.cases",
    "ruta.referrals",
    "ruta.inspections",
    "ruta.training",
    "ruta.baseline",
    "ruta.networks",
    "ruta.statistics",
    "ruta.security",
    "ruta.demo",
    "ruta.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # High up, so that the early refusals below (413, 400) carry the policy too.
    "csp.middleware.CSPMiddleware",
    "ruta.core.middleware.RequestSizeLimitMiddleware",
    "ruta.core.middleware.InputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ruta.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ruta.core.middleware.SecurityHeadersMiddleware",
    "ruta.core.not_found.NotFoundPageMiddleware",
]

ROOT_URLCONF = "ruta.urls"
WSGI_APPLICATION = "ruta.wsgi.application"
ASGI_APPLICATION = "ruta.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ruta" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ruta.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ruta.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without blocking each other for long.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Statistics read from a replica when one is given (ruta.statistics.routers); tests mirror the default.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ruta.statistics.routers.StatisticsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ruta.accounts.validators.ContextWordsValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests and synthetic data only: PBKDF2 would dominate their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "ruta" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Tegucigalpa")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "ruta" / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/simplewebauthn", NODE_MODULES / "@simplewebauthn" / "browser" / "dist" / "bundle"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if EMBEDDED or env_bool("PLAIN_STATIC_STORAGE", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
WHITENOISE_USE_FINDERS = EMBEDDED or env_bool("PLAIN_STATIC_STORAGE", False)

# Where people reach Ruta, for the links in e-mails (they are read outside the browser). In development
# the address `make run` serves on.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}" if DEBUG else "").rstrip("/")

# E-mail: console by default, anything else by EMAIL_URL (smtp://user:pass@host:587/?tls=True).
_email = dj_email_url.parse(env_str("EMAIL_URL", "console:"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ruta@localhost")

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ruta_cache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the cookie age is then an idle timeout
# An absolute limit on top of the idle timeout: a session never lives longer than this after log-in.
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60, minimum=300)
SESSION_COOKIE_NAME = "__Host-ruta_session" if env_bool("HTTPS", not EMBEDDED) else "ruta_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-ruta_csrf" if env_bool("HTTPS", not EMBEDDED) else "ruta_csrf"
CSRF_FAILURE_VIEW = "ruta.accounts.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp. No inline script or style anywhere: every script and stylesheet is a file served by us.
# (django-csp leaves the header off Django's own 404/500 debug pages when DEBUG is on.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "worker-src": [csp.SELF],
        "manifest-src": [csp.SELF],
    }
}
HTTPS = env_bool("HTTPS", not EMBEDDED)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None

# A request body above this is refused with 413 before any view reads it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 256 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Uploads (attachments) are checked by ``ruta.security.uploads.validate_upload``: size and type.
RUTA_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ruta.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "ruta.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        # Public reports per device, and per address whatever the devices (carriers put many phones
        # behind one address): see ruta/alerts/public_intake.py.
        "public_alerts": env_str("PUBLIC_ALERT_RATE", "20/hour"),
        "public_alerts_address": env_str("PUBLIC_ALERT_ADDRESS_RATE", "600/hour"),
        "public_tracking": env_str("PUBLIC_TRACKING_RATE", "120/hour"),
        "webhook": env_str("WEBHOOK_RATE", "600/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles key on the client address. Without this, DRF trusts X-Forwarded-For from anyone,
    # so a spammer could dodge the per-address limit by inventing a header on every request.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ruta API",
    "DESCRIPTION": "Inter-institutional response to human trafficking: alerts, cases, referrals.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Cases and screening both speak of a form of exploitation, with different choices.
    "ENUM_NAME_OVERRIDES": {
        "CaseExploitationEnum": "ruta.cases.models.ExploitationType",
        "ScreeningExploitationEnum": "ruta.screening.models.Exploitation",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Authentication (see docs/security.md).
RUTA_LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
RUTA_LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20, minimum=1)
RUTA_LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=10)
RUTA_MFA_PENDING_SECONDS = env_int("MFA_PENDING_SECONDS", 5 * 60, minimum=30)
RUTA_REAUTH_SECONDS = env_int("REAUTH_SECONDS", 15 * 60, minimum=30)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Ruta")
OTP_TOTP_THROTTLE_FACTOR = 1


def _webauthn_default_rp_id(hosts: list[str]) -> str:
    """The first host name (not an address, not a wildcard) of ALLOWED_HOSTS; "localhost" otherwise.

    WebAuthn binds a credential to a registrable domain: browsers refuse an IP address as RP ID, so
    in development security keys work on http://localhost:PORT, not on http://127.0.0.1:PORT."""
    import ipaddress

    for host in hosts:
        name = host.lstrip(".")
        if not name or "*" in name or name.startswith("["):
            continue
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name
    return "localhost"


# Security keys and platform authenticators (WebAuthn) as a second factor beside TOTP.
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", _webauthn_default_rp_id(ALLOWED_HOSTS))
WEBAUTHN_RP_NAME = env_str("WEBAUTHN_RP_NAME", "Ruta")
# The origins a ceremony may come from (e.g. https://ruta.example.org). Empty: the origin of the
# request itself, whose host Django has already checked against ALLOWED_HOSTS.
WEBAUTHN_ORIGINS = env_list("WEBAUTHN_ORIGINS", [])
# A challenge is single-use and expires after this many seconds.
WEBAUTHN_CHALLENGE_SECONDS = env_int("WEBAUTHN_CHALLENGE_SECONDS", 180, minimum=30, maximum=600)
WEBAUTHN_MAX_KEYS = env_int("WEBAUTHN_MAX_KEYS", 10, minimum=1, maximum=50)
# Break-the-glass grants and unusual-access warnings.
RUTA_BREAK_GLASS_MINUTES = env_int("BREAK_GLASS_MINUTES", 60, minimum=5)
RUTA_UNUSUAL_ACCESS_READS = env_int("UNUSUAL_ACCESS_READS", 50, minimum=1)
RUTA_UNUSUAL_ACCESS_MINUTES = env_int("UNUSUAL_ACCESS_MINUTES", 10, minimum=1)
# Published statistics suppress every cell below this count.
RUTA_SMALL_CELL_K = env_int("SMALL_CELL_K", 11, minimum=2)

# Ruta's own knobs.
# The second factor is required for every role that sees identities. Only a development run
# (`make run`, demo data) may turn that off, so a newcomer can click through every persona.
MFA_ENFORCED = env_bool("MFA_ENFORCED", True)
if not DEBUG and not MFA_ENFORCED:
    raise ImproperlyConfigured("MFA_ENFORCED can only be turned off in development (DEBUG=1).")
RUTA_COUNTRY_CODE = env_str("RUTA_COUNTRY_CODE", "HN")
RUTA_WORKER_POLL_SECONDS = env_int("WORKER_POLL_SECONDS", 5, minimum=1)
RUTA_WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 300, minimum=10)

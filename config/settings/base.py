"""Production-safe settings. Everything that differs between deployments comes from the environment.

Outside demo mode the platform refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_choice, env_int, env_list, env_str
from pacte.core import logs

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PACTE_VAR_DIR", str(BASE_DIR / "var")))

DEMO_MODE = env_bool("PACTE_DEMO", False)
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "ninja",
    # django-axes, shown in the admin as « Tentatives de connexion » (beside the Pacte's own axes).
    "pacte.accounts.apps_axes.AxesConfig",
    "simple_history",
    "pacte.core",
    "pacte.territories",
    "pacte.programme",
    "pacte.accounts",
    "pacte.contracts",
    "pacte.observation",
    "pacte.screening",
    "pacte.governance",
    "pacte.grants",
    "pacte.sponsorship",
    "pacte.tznr",
    "pacte.workspace",
    "pacte.api",
    "pacte.demo",
]

MIDDLEWARE = [
    # First: a database that does not answer gets a French 503 rendered without it (the 500 handler reads it).
    "pacte.core.unavailable.DatabaseUnavailableMiddleware",
    # The id of each request in its log lines and in the X-Request-ID header (pacte/core/logs.py).
    "pacte.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pacte.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: public pages kept per data version (pacte/core/page_cache.py); every middleware above sees them.
    "pacte.core.page_cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pacte" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pacte.core.context_processors.site",
                "pacte.workspace.context_processors.workspace",
            ],
        },
    },
]

# Outside demo mode the database must be named explicitly: no silent SQLite file in production.
_DEMO_DATABASE = f"sqlite:///{VAR_DIR / 'pacte.sqlite3'}"
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", _DEMO_DATABASE if DEMO_MODE else None, required=not DEMO_MODE),
        base_dir=BASE_DIR,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ProConnect (pacte/accounts/oidc.py): inert unless PROCONNECT_* are set.
    "pacte.accounts.oidc.ProConnectBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Every signed-in user lands on « Mon espace », the tasks that wait on them (pacte/workspace).
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "home"

# Repeated failed logins are throttled (django-axes): 5 failures lock the username+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# ProConnect, the State's sign-in for agents (pacte/accounts/oidc.py, docs/deploiement.md « ProConnect »): off
# unless the client given by the ProConnect team is configured. Every endpoint lies under
# https://PROCONNECT_DOMAIN/api/v2 (auth.agentconnect.gouv.fr in production on the Internet,
# fca.integ01.dev-agentconnect.fr in integration); PROCONNECT_URL replaces that address (the tests' provider).
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_DOMAIN = env_str("PROCONNECT_DOMAIN", "")
PROCONNECT_URL = env_str("PROCONNECT_URL", f"https://{PROCONNECT_DOMAIN}/api/v2" if PROCONNECT_DOMAIN else "")
if any((PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET, PROCONNECT_URL)) and not all(
    (PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET, PROCONNECT_URL)
):
    raise ImproperlyConfigured(
        "ProConnect demande PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET et PROCONNECT_DOMAIN (ou PROCONNECT_URL)."
    )
# The signing algorithm chosen when the client was registered (RS256, ES256 or HS256).
PROCONNECT_SIGN_ALGO = env_choice("PROCONNECT_SIGN_ALGO", "RS256", ("RS256", "ES256", "HS256"))
# The `acr` values accepted: eidas1 at least (ProConnect's table of eidas levels).
PROCONNECT_ACR_VALUES = env_list("PROCONNECT_ACR_VALUES", ["eidas1", "eidas1-mfa", "eidas2", "eidas3"])
# An authentication method the `amr` claim must hold (e.g. "mfa"); empty: none required.
PROCONNECT_AMR_REQUIRED = env_str("PROCONNECT_AMR_REQUIRED", "")
PROCONNECT_SCOPES = env_str("PROCONNECT_SCOPES", "openid email given_name usual_name")
PROCONNECT_TIMEOUT = env_int("PROCONNECT_TIMEOUT", 10)  # seconds, for each call to ProConnect's servers

# Behind a reverse proxy, set PACTE_TRUSTED_PROXY=1 so that the client address comes from X-Real-IP
# (set by the proxy) rather than from the proxy's own address.
PACTE_TRUSTED_PROXY = env_bool("PACTE_TRUSTED_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "pacte.accounts.throttling.client_ip"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Access to rights (pacte/screening): per-household results of a batch are deleted this many days after the
# job ends (`pacte rights purge`); uploaded household files are deleted as soon as the job ends.
RIGHTS_RETENTION_DAYS = env_int("PACTE_RIGHTS_RETENTION_DAYS", 30)
if not 1 <= RIGHTS_RETENTION_DAYS <= 366:
    raise ImproperlyConfigured("PACTE_RIGHTS_RETENTION_DAYS must be between 1 and 366 days.")
RIGHTS_UPLOAD_MAX_SIZE = env_int("PACTE_RIGHTS_UPLOAD_MAX_SIZE", 200 * 1024 * 1024)  # bytes

# Observation imports (docs/observation-import.md, « Limites »): rows and cells one file may hold, and the total
# uncompressed size of an XLSX archive's parts (a decompression bomb is refused before openpyxl reads it).
OBSERVATION_IMPORT_MAX_ROWS = env_int("PACTE_OBSERVATION_IMPORT_MAX_ROWS", 1_000_000)
OBSERVATION_IMPORT_MAX_CELLS = env_int("PACTE_OBSERVATION_IMPORT_MAX_CELLS", 5_000_000)
OBSERVATION_IMPORT_MAX_UNCOMPRESSED_SIZE = env_int(
    "PACTE_OBSERVATION_IMPORT_MAX_UNCOMPRESSED_SIZE", 256 * 1024 * 1024
)  # bytes
# CSV import of notified ceilings (pacte/contracts/services/allocations.py): lines per file.
ALLOCATIONS_IMPORT_MAX_ROWS = env_int("PACTE_ALLOCATIONS_IMPORT_MAX_ROWS", 5_000)

# A cache shared by the web workers of one host, no service needed: the anonymous PDF-render throttle counts
# there (pacte/core/pdf_cache.py). `PACTE_CACHE_DIR` may be emptied at any time.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("PACTE_CACHE_DIR", str(VAR_DIR / "cache")),
    },
    # Public pages and consolidations kept per data version (pacte/core/page_cache.py), shared by the workers.
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("PACTE_PAGE_CACHE_DIR", str(VAR_DIR / "pages")),
        "OPTIONS": {"MAX_ENTRIES": env_int("PACTE_PAGE_CACHE_MAX_ENTRIES", 10_000)},
    },
}
# How long a kept public page may be served, in seconds (0: no page is kept).
PACTE_PAGE_CACHE_SECONDS = env_int("PACTE_PAGE_CACHE_SECONDS", 300)
# Rendering PDFs for anonymous visitors: at most this many per client address and for all anonymous visitors
# together, per window of PACTE_PDF_RENDER_WINDOW seconds (serving a PDF already rendered does not count).
PACTE_PDF_RENDERS_PER_ADDRESS = env_int("PACTE_PDF_RENDERS_PER_ADDRESS", 6)
PACTE_PDF_RENDERS_ANONYMOUS = env_int("PACTE_PDF_RENDERS_ANONYMOUS", 30)
PACTE_PDF_RENDER_WINDOW = env_int("PACTE_PDF_RENDER_WINDOW", 60)

# Grants (pacte/grants/rules.py): the share of a year's grant that may be paid as an advance before the previous
# year's financial report is validated, a number from 0 to 1 (50 % in the parliamentary answers the rules cite).
# Checked when the platform starts (`rules.advance_share`, a French message on a bad value).
GRANTS_ADVANCE_SHARE = env_str("PACTE_GRANTS_ADVANCE_SHARE", "0.5")

# Security headers and cookies.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [
    r"^sante/$"
]  # the health probe of a monitoring agent on the machine itself (plain HTTP)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "pacte@localhost")
# The address of the site, for the full links of the e-mails written outside a request (notifications, daily
# digests: pacte/accounts/notifications.py): « https://pacte.example.gouv.fr », without a trailing slash.
PACTE_SITE_URL = env_str("PACTE_SITE_URL", "").rstrip("/")
if PACTE_SITE_URL and not PACTE_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "PACTE_SITE_URL : indiquez l'adresse complète du site, par exemple https://pacte.example.gouv.fr."
    )
# The queue of outgoing e-mails (pacte.core.mail): the worker sends it with this timeout on the mail server,
# retries up to PACTE_MAIL_MAX_ATTEMPTS times (1, 5, 15, 60 min, 3, 6, 12 h), deletes the sent mails after
# PACTE_MAIL_RETENTION_DAYS (they hold addresses). EMAIL_TIMEOUT is Django's own setting: the SMTP backend uses it
# for every connection, `pacte sendtestemail` and the mails to ADMINS included.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
PACTE_MAIL_MAX_ATTEMPTS = env_int("PACTE_MAIL_MAX_ATTEMPTS", 8)
PACTE_MAIL_RETENTION_DAYS = env_int("PACTE_MAIL_RETENTION_DAYS", 30)
# Forgotten passwords (pacte/accounts/views.py): the reset link is valid one hour; at most this many requests per
# address and per client address and hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
PACTE_PASSWORD_RESETS_PER_HOUR = env_int("PACTE_PASSWORD_RESETS_PER_HOUR", 5)

# Pagination of lists in pages and in the API.
PACTE_PAGE_SIZE = 50
PACTE_API_MAX_PAGE_SIZE = 500

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Log lines (pacte/core/logs.py): `2026-12-05T10:15:02.123+01:00 INFO pacte.screening.jobs [<request id>] …`,
# times in Paris; PACTE_LOG_FORMAT=json writes one JSON object per line instead.
LOG_FORMAT = env_choice("PACTE_LOG_FORMAT", "TEXT", ("TEXT", "JSON"))
# Server errors are mailed to ADMINS: PACTE_ADMINS="Nom <adresse@domaine.fr>, Autre <autre@domaine.fr>".
try:
    ADMINS = logs.parse_admins(env_str("PACTE_ADMINS", ""))
except logs.AdminsError as error:
    raise ImproperlyConfigured(str(error)) from None
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "pacte.core.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"pacte": {"()": logs.formatter_class(LOG_FORMAT)}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "pacte", "filters": ["request_id"]},
        # Without the request's data nor the exception's message (personal data): see pacte/core/logs.py.
        "mail_admins": {
            "class": "pacte.core.logs.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id", "require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", LOG_LEVELS)},
    "loggers": {
        # Django's own handlers replaced: its lines go to the console above at LOG_LEVEL, its server errors
        # to mail_admins too.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.request": {"handlers": ["mail_admins"], "level": "NOTSET", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every rendering step at INFO (even its own stylesheets, parsed at import).
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# `/sante/` says the rights worker is « en retard » when its last sign of life is older than this (seconds).
PACTE_WORKER_STALE_SECONDS = env_int("PACTE_WORKER_STALE_SECONDS", 300)

# Optional error reports to Sentry (the sentry-sdk package): off unless SENTRY_DSN is set.
PACTE_ENVIRONMENT = env_str("PACTE_ENVIRONMENT", "production")
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        logs.init_sentry(SENTRY_DSN, environment=PACTE_ENVIRONMENT, release=logs.version(BASE_DIR))
    except ImportError as error:
        raise ImproperlyConfigured(str(error)) from None

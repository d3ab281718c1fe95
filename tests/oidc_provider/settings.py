"""Settings of the tests' OpenID provider. The process that starts it sets PROVIDER_URL (its own address, the
`iss` of its tokens without /api/v2), PROVIDER_DB (its SQLite file) and PROVIDER_PROFILES (the JSON file of its
agents' extra data: acr, siret, email_verified)."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "fournisseur-de-test-seulement"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
WSGI_APPLICATION = "tests.oidc_provider.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("PROVIDER_DB", ":memory:")}
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
TIME_ZONE = "Europe/Paris"
LANGUAGE_CODE = "fr"
# Pacte and the provider both run on the tests' machine: their cookies must not meet.
SESSION_COOKIE_NAME = "fournisseur_session"
CSRF_COOKIE_NAME = "fournisseur_csrftoken"
LOGIN_URL = "/connexion/"

SITE_URL = os.environ.get("PROVIDER_URL", "http://127.0.0.1")
PROVIDER_PROFILES = os.environ.get("PROVIDER_PROFILES", "")
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.oidc_provider.claims.id_token_hook"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_provider.claims.ProConnectScopeClaims"
OIDC_USERINFO = "tests.oidc_provider.claims.userinfo"
OIDC_IDTOKEN_SUB_GENERATOR = "tests.oidc_provider.claims.sub"
OIDC_SKIP_CONSENT_EXPIRE = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

"""Demo mode: local SQLite, console e-mail, documented demo logins. Never for production.

The demo shows the French error pages its users would see (DEBUG off; `DJANGO_DEBUG=1 make demo` gives Django's
debug pages to a developer); static files come straight from the apps through WhiteNoise, with or without DEBUG."""

import os

os.environ.setdefault("PACTE_DEMO", "1")
os.environ.setdefault("SECRET_KEY", "demo-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("PACTE_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")

from config.settings.base import *  # noqa: E402,F403

DEMO_MODE = True
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

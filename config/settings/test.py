"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/test.sqlite3")  # replaced by an in-memory database below
os.environ["PACTE_DEMO"] = os.environ.get("PACTE_TEST_DEMO", "0")

from config.settings.base import *  # noqa: E402,F403

DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}  # noqa: F405
# The live server of the browser tests answers from threads that a browser may keep alive: a connection
# kept open there would stop the test database from being dropped at the end of the run (PostgreSQL).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
for _template in TEMPLATES:  # noqa: F405
    _template["OPTIONS"]["debug"] = True
# Static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True


class UndefinedTemplateVariable(str):
    """`string_if_invalid` of the tests: an empty string, as in production, that fails the test when it is
    rendered as such in one of the project's own templates (pacte/templates), as les-emplois does. Being falsy,
    it goes through filters as the empty string would: `{{ caption|default:"…" }}` and `{% if missing %}` keep
    working; a bare `{{ misspelt }}` raises. Third-party templates (Django's admin, django-dsfr) are left alone."""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        import inspect

        from django.template import TemplateSyntaxError

        frame = inspect.currentframe()
        while frame is not None:
            node = frame.f_locals.get("self")
            origin = getattr(node, "origin", None)
            if origin is not None and hasattr(node, "token"):
                if str(origin.name).startswith(OWN_TEMPLATES):
                    raise TemplateSyntaxError(
                        f"Variable indéfinie dans {origin.name}, ligne {node.token.lineno} : {node.token.contents}"
                    )
                return ""
            frame = frame.f_back
        return ""


OWN_TEMPLATES = str(BASE_DIR / "pacte" / "templates")  # noqa: F405
for _template in TEMPLATES:  # noqa: F405
    _template["OPTIONS"]["string_if_invalid"] = UndefinedTemplateVariable("")

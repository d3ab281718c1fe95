import subprocess
import sys

import pytest

from config.env import database_from_url


def _start(env: dict) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with exactly `env`."""
    code = "import django; from django.conf import settings; settings.DEBUG"
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=60
    )


GOOD = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "pacte.example.org", "DATABASE_URL": "postgres://u@h/pacte"}


def test_production_settings_start_with_the_required_environment():
    assert _start(GOOD).returncode == 0


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = _start({key: value for key, value in GOOD.items() if key != missing})
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "peut-être"),
        ("LOG_LEVEL", "bavard"),
        ("SECURE_HSTS_SECONDS", "un an"),
        ("DATABASE_URL", "mysql://x/y"),
    ],
)
def test_production_refuses_bad_values(name, value):
    result = _start({**GOOD, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_a_database_error_never_shows_the_password(tmp_path):
    with pytest.raises(Exception) as error:
        database_from_url("postgres://pacte:s3cret@db:notaport/pacte", base_dir=tmp_path)
    assert "s3cret" not in str(error.value)


def test_security_headers_are_set(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_a_permission_refusal_is_a_french_page(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/comptes/organisations/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_a_server_error_is_a_french_page(rf):
    from pacte.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()

"""The tests' OpenID provider in a process of its own, on a free port of 127.0.0.1, with its SQLite file in a
temporary folder: `proconnect_provider` (one for the test session, as pytest-django's `live_server`, whose
address is the client's redirect_uri) and `proconnect` (a test's Pacte settings pointing at it). A test module gets
them by naming them at module level (`proconnect = process.proconnect`), as tests/browser.py does.

The provider's agents (`AGENTS`) sign in with the password `PASSWORD`; `PROFILES` gives some of them another
eidas level or an unverified address. Pacte is served on `localhost` (live_server) and the provider on
`127.0.0.1`: their cookies never meet."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "pacte-tests"
CLIENT_SECRET = "secret-du-client-pacte-de-test"
PASSWORD = "mot-de-passe-du-fournisseur"
AGENTS = {
    # An agent whose Pacte account exists (matched by address).
    "agent": {"email": "Alice.Martin@Interieur.Gouv.fr", "first_name": "Alice", "last_name": "Martin"},
    # An agent without Pacte account (created, waiting for a role).
    "nouvel-agent": {"email": "nadia.roux@travail.gouv.fr", "first_name": "Nadia", "last_name": "Roux"},
    # An authentication below eidas1.
    "agent-faible": {"email": "bruno.petit@example.fr", "first_name": "Bruno", "last_name": "Petit"},
    # An address the identity provider has not verified.
    "non-verifie": {"email": "chloe.blanc@example.fr", "first_name": "Chloé", "last_name": "Blanc"},
}
PROFILES = {"agent-faible": {"acr": "eidas0"}, "non-verifie": {"email_verified": False}}
CALLBACK = "/comptes/proconnect/retour/"
LOGOUT_CALLBACK = "/comptes/proconnect/deconnexion/"


@dataclass
class Provider:
    url: str  # http://127.0.0.1:port
    log: Path

    @property
    def base(self) -> str:
        """ProConnect's base address: the `iss` of its tokens and the root of its endpoints."""
        return f"{self.url}/api/v2"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def proconnect_provider(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fournisseur")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    (folder / "profiles.json").write_text(json.dumps(PROFILES))
    seed = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [live_server.url + CALLBACK],
            "post_logout_redirect_uris": [live_server.url + LOGOUT_CALLBACK],
        },
        "agents": [{"username": name, "password": PASSWORD, **agent} for name, agent in AGENTS.items()],
    }
    (folder / "seed.json").write_text(json.dumps(seed))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PROVIDER_DB": str(folder / "fournisseur.sqlite3"),
        "PROVIDER_URL": url,
        "PROVIDER_PROFILES": str(folder / "profiles.json"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.seed", str(folder / "seed.json")],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    log = folder / "fournisseur.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, server, log)
        yield Provider(url=url, log=log)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(url: str, server, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Le fournisseur d'identité de test s'est arrêté :\n{log.read_text()}")
        try:
            if requests.get(f"{url}/api/v2/.well-known/openid-configuration", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"Le fournisseur d'identité de test ne répond pas après {timeout:.0f} s :\n{log.read_text()}")


@pytest.fixture
def proconnect(settings, proconnect_provider) -> Provider:
    """Pacte's ProConnect settings pointing at the tests' provider (the defaults for the rest)."""
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.PROCONNECT_URL = proconnect_provider.base
    settings.PROCONNECT_SIGN_ALGO = "RS256"
    return proconnect_provider

"""Fault drill: PostgreSQL stops in the middle of a contract save (issue 15; run by scripts/drill_database.sh,
which starts the throw-away cluster and migrates it; output quoted in docs/deploiement.md).

With the production settings on the drill's database: a département, a user of its council and a draft contract
(built with the tests' factories), then the council's user saves the contract's title while the server is stopped
(`pg_ctl stop -m immediate`, as a crash) between the UPDATE of the contract and the end of its transaction. The
drill checks that the user gets the French 503 page, restarts the server, checks that nothing was written, saves
again and checks that this save is kept. Exits 1 at the first check that fails.

Needs PG_BIN, PG_DIR (the cluster's data is $PG_DIR/data) and DATABASE_URL in the environment.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The pages are read in-process, without `pacte collectstatic`: static files by their plain names (what the
# drill checks is the database, not the manifest of static files).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from pacte.contracts.models import Contract  # noqa: E402
from pacte.contracts.services import workflow  # noqa: E402
from tests.accounts.factories import UserFactory  # noqa: E402
from tests.contracts.factories import build_contract  # noqa: E402
from tests.territories.factories import DepartementFactory  # noqa: E402


def pg_ctl(action: str) -> None:
    command = [f"{os.environ['PG_BIN']}/pg_ctl", "-D", f"{os.environ['PG_DIR']}/data", "-w"]
    if action == "stop":
        command += ["-m", "immediate", "stop"]
    else:
        port = connection.settings_dict["PORT"]
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {os.environ['PG_DIR']}/socket -c fsync=off"
        command += ["-l", f"{os.environ['PG_DIR']}/server.log", "-o", options, "start"]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def check(condition: bool, text: str) -> None:
    print(("  ok     " if condition else "  ÉCHEC  ") + text)
    if not condition:
        sys.exit(1)


def main() -> int:
    territory = DepartementFactory(code="44", name="Loire-Atlantique")
    contract = build_contract(territory, signed=False)
    user = UserFactory(username="exercice-panne", departement_council=True, territory=territory)
    before = (contract.title, contract.lock_version, contract.history.count())
    print(f"Contrat n° {contract.pk} « {contract.title} » (version {contract.lock_version}), brouillon.")

    client = Client(raise_request_exception=False)
    client.force_login(user)
    edit = reverse("contracts:edit", args=[contract.pk])
    check(client.get(edit, secure=True).status_code == 200, "la page de modification s'ouvre")

    original = workflow.reset_validations

    def server_stops(saved):
        print("  …      UPDATE du contrat écrit, transaction ouverte : arrêt immédiat de PostgreSQL")
        pg_ctl("stop")
        return original(saved)

    workflow.reset_validations = server_stops
    started = time.monotonic()
    response = client.post(
        edit, {"lock_version": contract.lock_version, "title": "Titre pendant la panne"}, secure=True
    )
    elapsed = time.monotonic() - started
    workflow.reset_validations = original
    content = response.content.decode()
    check(
        response.status_code == 503 and "Service momentanément indisponible" in content,
        f"l'utilisateur reçoit la page française « Service momentanément indisponible » "
        f"(HTTP {response.status_code}, Retry-After {response.get('Retry-After')}, en {elapsed:.2f} s)",
    )
    check("Internal Server Error" not in content, "pas de page anglaise du serveur WSGI")

    pg_ctl("start")
    print("  …      PostgreSQL redémarré")
    contract = Contract.objects.get(pk=contract.pk)
    after = (contract.title, contract.lock_version, contract.history.count())
    check(after == before, f"rien d'écrit à moitié : titre, version et historique inchangés {after}")

    response = client.post(
        edit, {"lock_version": contract.lock_version, "title": "Titre après la panne"}, secure=True
    )
    contract = Contract.objects.get(pk=contract.pk)
    check(
        response.status_code == 302 and contract.title == "Titre après la panne",
        f"l'enregistrement suivant passe (HTTP {response.status_code}, version {contract.lock_version})",
    )
    print("Exercice réussi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

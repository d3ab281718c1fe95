"""The PostgreSQL database and the national-scale dataset of the load benchmark (benchmarks/load.py).

- `throwaway_cluster()`: a PostgreSQL 15 cluster of its own, in a temporary directory, listening on 127.0.0.1 on
  a free port, run as the `postgres` user when the script runs as root (as .ci/run does), stopped and removed on
  exit whatever happens.
- `build()`: on the database Django is set up with, the schema (`migrate`), the 2026 COG (18 régions, 101
  départements, about 1,250 EPCI and 35,000 communes), the national référentiel, the reference indicators and
  the national figures of the barometer, a value of each indicator for every territory and year
  (benchmarks/observation_pages.py: about 1.8 million values with the defaults) and a signed convention for every
  collectivité of a département or a métropole (benchmarks/synthetic_contracts.py with France Travail: 197
  conventions of up to 20 fiches-actions, budgets, indicators, reports and credits). Every value is labelled "donnée
  fictive". `is_built()` tells whether a database already holds it (then `--base-existante` reuses it as is).
- `steering_session()`: a signed-in session of a national steering user, for the pages that need one (the
  consolidation).

Django must be set up (the settings of the caller) before `build()`, `is_built()` and `steering_session()`.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
STEERING_USERNAME = "pilotage-charge"
INDICATORS = 10
YEARS = 5


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of the call."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its binaries as the postgres user then (as .ci/run does)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def throwaway_cluster(database: str = "pacte") -> Iterator[tuple[str, int]]:
    """Start a PostgreSQL cluster in a temporary directory on a free port of 127.0.0.1, create `database` and
    yield (its URL, the postmaster's pid). The cluster is stopped and its directory removed on exit."""
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"ERREUR : initdb introuvable dans {PG_BIN} (PostgreSQL 15 est nécessaire).")
    folder = Path(tempfile.mkdtemp(prefix="pacte-charge-pg."))
    data = folder / "data"
    (folder / "socket").mkdir()
    started = False
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            shutil.chown(folder / "socket", "postgres", "postgres")
        folder.chmod(0o700)
        port = free_port()
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    f"--pgdata={data}",
                    "--username=postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {folder / 'socket'} -c max_connections=100 "
            "-c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = True
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60"]
                + ["-o", options, "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database],
            check=True,
        )
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
        yield f"postgres://postgres@127.0.0.1:{port}/{database}", postmaster
    finally:
        if started:
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


def is_built() -> bool:
    """Whether the database already holds the dataset (signed conventions and territorial values)."""
    from django.db import connection

    from pacte.contracts.enums import ContractStatus
    from pacte.contracts.models import Contract
    from pacte.observation.models import Observation

    if "contracts_contract" not in connection.introspection.table_names():
        return False
    return (
        Contract.objects.filter(status=ContractStatus.SIGNED).count() >= 100 and Observation.objects.exists()
    )


def build(indicators: int = INDICATORS, years: int = YEARS) -> None:
    """Migrate the database and load the whole dataset (a few minutes; see the module docstring)."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.observation_pages import load_data
    from benchmarks.synthetic_contracts import generate
    from pacte.contracts.models import Action, Contract
    from pacte.formatting import plural
    from pacte.observation import national_figures

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Schéma créé en {time.perf_counter() - start:.1f} s")
    # The COG, the référentiel, the reference indicators, the values of every territory, the Loire-Atlantique.
    load_data(indicators, years)
    print(national_figures.load_national_figures().summary())
    start = time.perf_counter()
    report = generate(contracts_per_region=None, actions_per_contract=20, france_travail=True, seed=2024)
    print(f"Conventions synthétiques générées en {time.perf_counter() - start:.1f} s : {report}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as after autovacuum on a live database
    print(
        f"Contrôle : {plural(Contract.objects.count(), 'contrat')}, "
        f"{plural(Action.objects.count(), 'fiche-action', 'fiches-actions')} en base."
    )


def steering_session() -> str:
    """The session key of a national steering user signed in (the user is created unless it exists)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from pacte.accounts.enums import Role
    from pacte.accounts.models import User

    user = User.objects.filter(username=STEERING_USERNAME).first() or User.objects.create_user(
        STEERING_USERNAME, role=Role.NATIONAL_STEERING
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

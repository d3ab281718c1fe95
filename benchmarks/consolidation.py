"""Time the consolidation pages (national and regional) on about 120 synthetic signed contracts.

    .venv/bin/python benchmarks/consolidation.py [--rounds 5] [--actions 20] [--per-region N]
    DATABASE_URL=postgres://user@host/pacte .venv/bin/python benchmarks/consolidation.py

A temporary database is built: the 2026 COG and the national référentiel are loaded, then
pacte.contracts.synthetic generates a signed convention for every département and métropole (about 120,
20 fiches-actions each over 2024-2027, with budgets, indicators, credits and reports). Each round renders,
through Django's test client signed in as national steering, the national consolidation page, the page
of the région with the most contracts, and the home page (the baseline, measured in the same process);
the times are server times (the client calls the WSGI handler directly). The convention PDF of one
contract is timed too. Medians, query counts and ratios to the baseline are printed.
SQLite runs in a temporary file; with a PostgreSQL DATABASE_URL, Django's test database (test_<name>) is
created and dropped, so the database named in the URL is never touched.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def seconds(values: list[float]) -> str:
    return ", ".join(f"{value * 1000:.0f}" for value in values)


def load_data(actions: int, per_region: int | None) -> None:
    from pacte.contracts.models import Action, BudgetLine, Contract
    from pacte.contracts.synthetic import generate
    from pacte.programme.services import load_referentiel
    from pacte.territories.services import import_cog

    duration = timed(import_cog)
    print(f"COG importé en {duration:.1f} s")
    duration = timed(load_referentiel)
    print(f"Référentiel chargé en {duration:.1f} s")
    start = time.perf_counter()
    report = generate(contracts_per_region=per_region, actions_per_contract=actions, seed=2024)
    duration = time.perf_counter() - start
    print(f"Données synthétiques générées en {duration:.1f} s : {report}")
    print(
        f"Contrôle : {Contract.objects.count()} contrats, {Action.objects.count()} fiches-actions, "
        f"{BudgetLine.objects.count()} lignes de budget en base."
    )


def measure(client, url: str, rounds: int) -> tuple[list[float], int, int]:
    """Times of `rounds` GETs (after one warm-up), the number of queries and the response size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # before the next request resets the query log
    times = [timed(lambda: client.get(url)) for _ in range(rounds)]
    return times, count, len(response.content)


def run(rounds: int, actions: int, per_region: int | None) -> None:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from pacte.accounts.enums import Role
    from pacte.accounts.models import User
    from pacte.contracts.models import Contract

    database = settings.DATABASES["default"]
    print(f"Base : {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})")
    load_data(actions, per_region)

    user = User.objects.create_user("pilotage-benchmark", role=Role.NATIONAL_STEERING)
    client = Client()
    client.force_login(user)
    busiest = (
        Contract.objects.values("territory__region__code", "territory__region__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "territory__region__code")
        .first()
    )
    contract = Contract.objects.order_by("pk").first()
    pages = [
        ("Accueil (référence)", reverse("core:home")),
        ("Consolidation nationale", reverse("contracts:consolidation")),
        (
            f"Consolidation {busiest['territory__region__name']} ({busiest['n']} contrats)",
            reverse("contracts:consolidation_region", args=[busiest["territory__region__code"]]),
        ),
        (
            "Export CSV des contrats (national)",
            reverse("contracts:consolidation_export", args=["france", "contrats", "csv"]),
        ),
        (f"Convention PDF ({contract.territory.name})", reverse("contracts:pdf", args=[contract.pk])),
    ]
    results = [(label, *measure(client, url, rounds)) for label, url in pages]
    baseline = statistics.median(results[0][1])
    print(f"\n{rounds} tours par page (temps serveur, client de test de Django), en millisecondes :")
    for label, times, queries, size in results:
        median = statistics.median(times)
        print(
            f"{label:<52} médiane {median * 1000:7.0f} ms  ({median / baseline:5.1f} × l'accueil)  "
            f"{queries:3d} requêtes  {size / 1024:6.0f} Kio  [{seconds(times)}]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure la durée des pages de consolidation.")
    parser.add_argument("--rounds", type=int, default=5, help="nombre de tours par page (défaut : 5)")
    parser.add_argument("--actions", type=int, default=20, help="fiches-actions par contrat (défaut : 20)")
    parser.add_argument(
        "--per-region",
        type=int,
        default=None,
        help="contrats par région (défaut : tous les départements et métropoles)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        if is_sqlite:
            settings.DATABASES["default"]["NAME"] = str(Path(folder) / "benchmark.sqlite3")
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        if is_sqlite:
            call_command("migrate", verbosity=0)
        else:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(args.rounds, args.actions, args.per_region)
        finally:
            if not is_sqlite:
                connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()

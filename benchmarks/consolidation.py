"""Time the consolidation pages (national and regional) on about 200 synthetic signed conventions.

    .venv/bin/python benchmarks/consolidation.py [--tours 5] [--fiches 20] [--par-region N]
    DATABASE_URL=postgres://user@host/pacte .venv/bin/python benchmarks/consolidation.py

A temporary database is built: the 2026 COG and the national référentiel are loaded, then
benchmarks/synthetic_contracts.py notifies the ceilings and generates the signed conventions of every collectivité
(about 120: a métropole's contract; a solidarités contract and a France Travail convention, or one in four a single
global convention, for a collectivité with a département's powers; 20 fiches-actions each, 5 in a France Travail
convention, with budgets, indicators, credits and reports). Each round renders,
through Django's test client signed in as national steering, the national consolidation page, the page
of the région with the most contracts, and the home page (the baseline, measured in the same process);
the times are server times (the client calls the WSGI handler directly). The convention PDF of one
contract is timed too. Medians, query counts and ratios to the baseline are printed.
SQLite runs in a temporary file; with a PostgreSQL DATABASE_URL, Django's test database (test_<name>) is
created and dropped, so the database named in the URL is never touched.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.harness import (  # noqa: E402
    measure_page,
    print_database,
    print_page_report,
    steering_client,
    throwaway_database,
    timed,
)
from pacte.formatting import plural  # noqa: E402


def load_data(actions: int, per_region: int | None) -> None:
    from benchmarks.synthetic_contracts import generate
    from pacte.contracts.models import Action, BudgetLine, Contract
    from pacte.programme.services import load_referentiel
    from pacte.territories.services import import_cog

    duration = timed(import_cog)
    print(f"COG importé en {duration:.1f} s")
    duration = timed(load_referentiel)
    print(f"Référentiel chargé en {duration:.1f} s")
    start = time.perf_counter()
    report = generate(
        contracts_per_region=per_region, actions_per_contract=actions, france_travail=True, seed=2024
    )
    duration = time.perf_counter() - start
    print(f"Données synthétiques générées en {duration:.1f} s : {report}")
    print(
        f"Contrôle : {plural(Contract.objects.count(), 'contrat')}, "
        f"{plural(Action.objects.count(), 'fiche-action', 'fiches-actions')}, "
        f"{plural(BudgetLine.objects.count(), 'ligne de budget', 'lignes de budget')} en base."
    )


def run(rounds: int, actions: int, per_region: int | None) -> None:
    from django.db.models import Count
    from django.urls import reverse

    from pacte.contracts.models import Contract

    print_database()
    load_data(actions, per_region)

    client = steering_client()
    busiest = (
        Contract.objects.values("territory__region__code", "territory__region__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "territory__region__code")
        .first()
    )
    contract = Contract.objects.order_by("pk").first()
    pages = [
        ("Accueil (référence)", reverse("home")),
        ("Consolidation nationale", reverse("contracts:consolidation")),
        (
            f"Consolidation {busiest['territory__region__name']} ({plural(busiest['n'], 'contrat')})",
            reverse("contracts:consolidation_region", args=[busiest["territory__region__code"]]),
        ),
        (
            "Export CSV des contrats (national)",
            reverse("contracts:consolidation_export", args=["france", "contrats", "csv"]),
        ),
        (f"Convention PDF ({contract.territory.name})", reverse("contracts:pdf", args=[contract.pk])),
    ]
    results = [(label, *measure_page(client, url, rounds)) for label, url in pages]
    print_page_report(results, rounds, label_width=52)


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure la durée des pages de consolidation.")
    parser.add_argument(
        "--tours",
        "--rounds",
        dest="rounds",
        type=int,
        default=5,
        help="nombre de tours par page (défaut : 5)",
    )
    parser.add_argument(
        "--fiches",
        "--actions",
        dest="actions",
        type=int,
        default=20,
        help="fiches-actions par contrat (défaut : 20)",
    )
    parser.add_argument(
        "--par-region",
        "--per-region",
        dest="per_region",
        type=int,
        default=None,
        help="collectivités signataires par région (défaut : toutes)",
    )
    args = parser.parse_args()

    with throwaway_database():
        run(args.rounds, args.actions, args.per_region)


if __name__ == "__main__":
    main()
